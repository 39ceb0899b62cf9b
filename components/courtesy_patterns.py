"""The courtesy people write around a question, as patterns on accent-folded, lower-case text:
greetings, thanks, a letter's opening and sign-offs; the opening words read with a greeting
(who writes and for whom, a question announced, how are you) and the closing words read with
thanks (how the answer helped, praise, what the person will do with it); the words of those
formulas whose typos are read as them. `components/courtesy.py` cuts and reads with them.

These lists decide which messages are read whole and which are cut: like the red-flag lexicon,
they need a reviewer's eye (README, "A greeting before the question", "Greetings read whole",
"Thanks read whole", "Who writes, then the question").
"""

from __future__ import annotations

import re

_A = r"['’]"  # an apostrophe
# between formulas and before the question: spaces and punctuation, not a question mark
_SEP = r"[\s,;:!.…~*\-]*"
# a formula ends at a separator, a question mark or the end of the text, never inside a word
_END = r"(?=[\s,;:!.?…~*\-]|$)"

_GREETING = (
    r"(?:re[\- ]?)?(?:bonjou?r+s?|bjour|bjr|bonsoir|bsr|salut|slt|coucou|cc|hello)"
    r"(?:[\s,]+(?:a (?:vous )?(?:tous|toutes)|a vous|a toi|(?:tout|tt) le monde|toi|le (?:ro)?bot|madame|monsieur|mme|docteur|dr|"
    rf"mesdames|messieurs|l{_A}equipe|a (?:toute )?l{_A}equipe))*"
)
_LETTER = r"(?:madame[\s,]+monsieur|mesdames[\s,]+messieurs)"
_THANKED_FOR = (
    r"(?:(?:reponses?|aide|infos?|informations?|explications?|retours?|precisions?|conseils?|"
    r"renseignements?|ecoute|temps|service|gentillesse|bienveillance|patience)"
    r"(?:\s+(?:rapides?|claires?|detaillees?|precises?))?|(?:tout|tt)(?: (?:ca|cela))?)"
)
_THANKS_WORD = r"(?:(?:un )?(?:grand|gros|immense) )?(?:merci+|mci|mrc)"
_INTENSIFIERS = (
    r"(?:\s+(?:beaucoup|bcp|infiniment|mille fois|encore|bien|vraiment|a vous|a toi|du fond du c(?:oe|œ)ur))*"
)
_THANKS = (
    rf"(?:(?:ok|okay|oki|d{_A}accord|dac|super|parfait|top|genial|tres bien|nickel)[\s,!.]*)?"
    rf"(?:{_THANKS_WORD}|je vous remercie|je te remercie){_INTENSIFIERS}"
    rf"(?:\s+(?:pour|pr|de|d{_A})\s*(?:votre|ta|vos|tes|ce|cet|cette|ces|la|les|l{_A}|toutes? (?:ces|les|vos))?"
    rf"\s*{_THANKED_FOR}|\s+d{_A}avoir (?:repondu|pris le temps))?"
    rf"(?!\s*(?:de|d{_A})\b)"  # "merci de me rappeler" is a request
)
# after a space or punctuation: "c koi l'immuno merci", "..., merci d'avance", "cordialement"
# ("je voulais vous dire merci" keeps its thanks)
_SIGN_OFF = (
    rf"{_THANKS_WORD}(?:{_INTENSIFIERS}(?:\s+(?:d{_A}?avance|par avance|pour votre (?:aide|reponse)))?)|"
    r"(?:bien )?cordialement|au revoir|a bientot|a\+|a plus|a la prochaine|bye"
)
# after punctuation only: "je passe une bonne nuit" is not a sign-off, "..., bonne nuit" is
_WISHES = r"(?:(?:merci+ )?et )?bonne (?:journee|soiree|nuit|fin de journee)(?: a (?:vous|toi|tous))?|bien a vous"

# what a greeting opens with besides a question, read with the greeting (the message is kept
# whole): a question announced, who writes and for whom, how are you. Cut from its greeting, "je
# suis l'aidant de mon mari" was read as psychological support and "je vous écris de la part de
# ma grand-mère" as personal advice (README, "Greetings read whole")
_KIN = (r"(?:mere|maman|pere|papa|mari|femme|epouse|epoux|conjointe?|compagne|compagnon|fille|fils|s(?:oe|œ)ur|"
        r"frere|grand[\- ]?mere|grand[\- ]?pere|mamie|mamy|papi|papy|tante|oncle|niece|neveu|cousine?|amie?|"
        r"belle[\- ]mere|beau[\- ]pere|enfant|proche|patiente?|voisine?)")
_ROLE = (rf"(?:infirmiere?|ide|ipa|aide[\- ]soignante?|medecin|interne|pharmacienne?|aidante?|accompagnante?|"
         rf"benevole|nouvelle?(?: ici)?|{_KIN})")
# "d'un patient suivi en oncologie", not "d'une patiente qui souffre beaucoup"
_FEW_WORDS = r"(?:\s*(?!(?:et|qui|que|mais|car|donc|elle|il|ils|elles|je|j|on)\b)[^\W_]+){1,5}"
_OPENING_CLAUSE = (
    rf"(?:(?:j{_A}?ai|jai|j{_A}aurais?) (?:une?|1|2|deux|quelques|plusieurs) (?:petites? )?(?:questions?|renseignements?)"
    rf"(?: a vous poser)?"
    rf"|(?:je (?:peux|pourrais|voudrais|voulais|souhaiterais|souhaite)|j{_A}aimerais) (?:vous )?poser (?:une?|quelques|des)"
    rf" (?:petites? )?questions?"
    rf"|j{_A}ai besoin d{_A}(?:un renseignement|une information|une info)"
    rf"|(?:je suis|j{_A}?suis|jsui|chuis?) (?:l{_A}|le |la |un |une )?{_ROLE}(?:(?: (?:de|du|des|en|a)|\s+d{_A}){_FEW_WORDS})?"
    rf"|moi c{_A}est [^\W\d_]+|je m{_A}appelle [^\W\d_]+(?: [^\W\d_]+)?"
    rf"|(?:c{_A}est|je viens|je vous ecris|je vous contacte) (?:pour|de la part de|au sujet de) (?:ma|mon|mes) {_KIN}"
    rf"|je m{_A}occupe de (?:ma|mon) {_KIN}(?: qui est malade)?|(?:ma|mon) {_KIN} est malade"
    rf"|ca va|vous allez bien|comment (?:allez[\- ]vous|vas[\- ]tu|ca va)|j{_A}espere que vous allez bien"
    rf"|(?:vous etes|tu es|t{_A}es) la|(?:il )?y a quelqu{_A}un|c{_A}est encore moi|me revoila"
    rf"|desolee? de vous deranger(?: si tard| a cette heure)?|je me permets de vous (?:ecrire|contacter)"
    rf"|je decouvre (?:ce|votre) (?:service|chat|site)"
    rf"|c{_A}est la premiere fois(?: que j{_A}utilise (?:ce|votre) (?:service|chat|site))?)"
)
_OPENING_RUN = rf"{_OPENING_CLAUSE}(?:(?:[\s,;:!.?…~*\-]+|\s+et\s+){_OPENING_CLAUSE})*"
OPENING = re.compile(rf"{_OPENING_RUN}[\s,;:!.?…~*\-]*(?:svp|stp|s{_A}il vous plait)?[\s!.?]*")
# the same words said in a sentence of their own before the question, after a greeting or not,
# are not what it asks: "Bonsoir, je vous écris pour ma mère. Pourquoi la chimio ne marche plus ?"
# is read from "Pourquoi" (kept, the sentence pulled the question towards a greeting: README, "Who
# writes, then the question")
OPENING_SENTENCE = re.compile(rf"{_OPENING_RUN}\s*[,;:!.?…]+[\s,;:!.?…~*\-]*")
# what must follow that sentence for it to be cut: "ça va ? et vous" is small talk, read whole
QUESTION_WORDS = 3

# what thanks close with, read with the thanks (the message is kept whole): how the answer helped
# ("c'est très clair", "ça me rassure un peu", "j'y vois plus clair"), praise ("vous êtes
# adorable"), what the person will do with it ("je vais en parler à mon oncologue"). Cut from its
# thanks, "ça me rassure un peu" was read as psychological support and "je vais transmettre à ma
# mère" as a goodbye (README, "Thanks read whole")
_WELL = r"(?:\s+(?:tres|vraiment|vrmt|bien|beaucoup|bcp|enormement|un peu|super|trop|tellement|plus|beaucoup plus|deja))*"
_NICE = (r"(?:clair|claire|gentil|gentille|sympa|cool|top|parfait|utile|precieux|interessant|rassurant|adorable|"
         r"genial|geniale|super|formidable|bien|chouette|pratique|complet)")
_TO_WHOM = (rf"(?:(?:a|avec)\s+(?:ma|mon|mes|sa|son|ses|l{_A}|le|la|les|notre|nos)\s*"
            rf"(?:{_KIN}s?|oncologues?|medecins?|docteur|equipe|infirmieres?|patiente?s?|famille|generaliste))")
_CLOSING_CLAUSE = (
    rf"(?:(?:ok|super|top|parfait|genial|d{_A}accord|dac|tres bien|ah|oh)[\s,!.]+)?"
    rf"(?:(?:c{_A}est|c|c{_A}etait|tout est|vous etes|tu es|t{_A}es|vous avez ete|tu as ete){_WELL}\s+{_NICE}"
    rf"(?:\s+(?:maintenant|merci))?"
    rf"|(?:trop|tres|super|vraiment){_WELL}\s+{_NICE}"
    rf"|(?:ca|cela|elles?|ils?|vos reponses|votre reponse|vos explications|ces explications|ces infos)\s+"
    rf"(?:m{_A}|me |nous |n{_A})?(?:aide|aident|rassure|rassurent|fait du bien|soulage|eclaire|servira|serviront|"
    rf"va servir|vont servir|compte|repond|(?:a|ont){_WELL}\s+(?:aidee?s?|rassuree?s?|eclairee?s?|repondu)){_WELL}"
    rf"(?:\s+(?:pour (?:moi|nous)|{_TO_WHOM}|a (?:ma|mes|toutes mes) questions?))?(?:\s*en ce moment)?"
    rf"|(?:ma|mon) {_KIN} (?:sera|va etre) (?:contente?|rassuree?|ravie?)(?: d{_A}avoir (?:une|la|cette|votre) reponse)?"
    rf"|j{_A}y vois{_WELL}\s+(?:clair|mieux)|je comprends{_WELL}\s+mieux(?:\s+maintenant)?"
    rf"|c{_A}est (?:exactement |tout a fait |bien )?ce que je (?:voulais savoir|cherchais|voulais)"
    rf"|(?:je vais|on va|j{_A}vais)\s+(?:en parler|lui en parler|le dire|leur en parler|transmettre|montrer (?:ca|cela)|"
    rf"lui montrer|leur montrer|lire (?:ca|cela)|y reflechir|regarder (?:ca|cela)|faire suivre)"
    rf"(?:\s+{_TO_WHOM})?)"
)
CLOSING = re.compile(rf"{_CLOSING_CLAUSE}(?:(?:[\s,;:!.…~*\-]+|\s+et\s+){_CLOSING_CLAUSE})*[\s!.…:)]*")
THANKED = re.compile(rf"(?:^|\W)(?:{_THANKS_WORD}|je vous remercie|je te remercie)")

# the words of five letters or more of the formulas, openings and closings above: a word one edit
# from one of them (same first letter) is read as it when the cut matches, "mrc beauceup", "bonsoir,
# je suis ifirmière", "merci pour votae aide"; a real French word is left as written (generated
# components/courtesy_neighbours.py: "bonte", "mercis", "maladie"). The text cut is the text as written
# (README, "Thanks read whole")
FORMULA_WORDS: frozenset[str] = frozenset("""
bonjour bonsoir salut coucou madame monsieur mesdames messieurs docteur equipe
merci beaucoup infiniment vraiment remercie reponse reponses explications explication informations
information precisions conseils renseignement renseignements gentillesse bienveillance service
cordialement revoir bientot prochaine journee soiree bonne
question questions petite petites infirmiere infirmier aidant aidante patient patiente revoila
deranger premiere malade permets ecrire contacter decouvre poser voudrais pourrais aimerais
clair claire claires gentil gentille rassure adorable parfait super genial utile exactement voulais
savoir transmettre parler oncologue reflechir precieux interessant aidee montrer
votre toutes encore avance rapides detaillees precises patience
""".split())
FORMULA_WORDS_BY_INITIAL: dict[str, tuple[str, ...]] = {
    initial: tuple(sorted(word for word in FORMULA_WORDS if word[0] == initial))
    for initial in {word[0] for word in FORMULA_WORDS}}
WORD = re.compile(r"[^\W\d_]+")

LEADING = re.compile(rf"{_SEP}(?:{_GREETING}|{_LETTER}|{_THANKS}){_END}{_SEP}")
TRAILING = re.compile(rf"(?:(?:^|(?<!dire)(?<!dis)(?<!dit)[\s,;:!.…~*\-]){_SEP}(?:{_SIGN_OFF})|(?:^|[,;:!.…~*\-\n]){_SEP}(?:{_WISHES})){_SEP}$")
LETTER_OR_DIGIT = re.compile(r"[^\W_]")
GREETING_FIRST = re.compile(rf"{_SEP}(?:{_GREETING}|{_LETTER}){_END}")
FAREWELL = re.compile(r"(?:^|\W)(?:au revoir|a bientot|a\+|a plus|a la prochaine|bye|bonne (?:journee|soiree|nuit|fin de journee))")
