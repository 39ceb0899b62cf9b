"""Word lists and patterns of the red-flag detector (components/red_flags.py).

Every pattern runs on *canonical* text: lower-case ASCII words and numbers separated by single
spaces ("J'ai 38,5 °C !" -> "j ai 38.5 deg c"), its spelling mended first
(components/red_flag_spelling.py). Medical reviewers can read and extend the lists
below without touching the matching logic. Keys of EMERGENCY_PATTERNS / CRISIS_PATTERNS are the
flag names reported in the parse result.
"""

_GAP = r"(?: \w+){0,3}?"

# --- emergencies -------------------------------------------------------------------------
EMERGENCY_PATTERNS: dict[str, list[str]] = {
    # fever by keyword (numbers are handled in red_flags.py)
    "fever": [
        r"\bfievre", r"\bfebrile", r"\bhyperthermie", r"\bbrulante?s?\b",
        r"\b(tout|toute) (chaud|chaude)\b",
        r"\bde la (temperature|temp)\b",
        r"\btemperature (elevee|haute|monte|qui monte|forte)", r"\bsepsis\b", r"\bseptic",
        r"\bfever\b",
    ],
    "chills": [
        r"\bfrisson", r"\bgrelott",
        r"\btrembl\w*( \w+){0,4} (froid|partout|chaud|tout (le|son|mon) corps)",
        r"\b(suis|est) (gele|gelee|glace|glacee)\b", r"\bchaud\w*( \w+){0,3} trembl",
        r"\bclaque\w* des dents",
        r"\bchaud et froid", r"\bsueurs? froides?", r"\bchills\b",
    ],
    "breathing": [
        rf"\b(mal|peine|difficulte\w*|galere|impossible|dur|gene|arrive (pas|plus)|peu[xt] (pas|plus))"
        rf"{_GAP} (a |de )?respir",
        r"\brespir\w* (mal|difficilement|plus|pas bien|avec difficulte|tres vite|bizarre)",
        r"\brespir\w*( \w+){0,2} (fait mal|douloureu|difficile|penible)",
        r"\bessouf", r"\b(souffle|respiration) (court|courte|coupe|coupee)", r"\bcourt de souffle",
        r"\b(bout|manque) de souffle",
        r"\bplus de souffle", r"\bmanqu\w* d air", r"\bpas d air\b", r"\betouff", r"\bsuffoqu",
        r"\bdyspnee", r"\bhalet", r"\blevres bleues",
        r"\b(detresse|insuffisance|gene) respiratoire",
        r"\brespiration (difficile|sifflante|rapide|bruyante|genee|courte|saccadee)",
        r"\breprendre (mon|son|sa|leur) (souffle|respiration)", r"\bcan ?t breathe",
        r"\bshort(ness)? of breath",
    ],
    "chest_pain": [
        r"\b(douleurs?|mal|serrement|oppression|oppresse|poids|barre|brulure|brule|pique|serre|point)(?: \w+){0,4}? "
        r"(poitrine|thorax|thoracique|sternum)",
        rf"\b(poitrine|thorax|sternum){_GAP} (serre|fait mal|douloureu|brule|comprime|ecrase|oppresse)",
        r"\bcrise cardiaque", r"\binfarctus", r"\bangine de poitrine",
        r"\bchest pain",
    ],
    "bleeding": [
        r"\bsaign", r"\bhemorrag", rf"\bperd\w*{_GAP} (du |de )?sang\b", r"\bpisse le sang",
        r"\bsang (partout|qui coule|coule|gicle)", r"\b(plein|pleine|couvert|couverte)s? de sang",
        r"\bcoule du sang", r"\bbleeding\b",
    ],
    "blood_in_fluids": [
        r"\b(crach\w*|touss\w*|toux|vomi\w*|rejet\w*|selles|caca|urin\w*|pipi|anus|rectum|fesses"
        r"|nez|bouche|gencives?|glaires?|expectoration\w*|mouchoir|wc|toilettes|cuvette|couche)"
        rf"{_GAP} (du |de |le |en )?sang\b",
        rf"\bsang{_GAP} (dans|sur) (les |mes |ses |le |la |mon |ma |son |sa |l )?"
        r"(selles|caca|urin\w*|pipi|crachats?|vomi\w*|mouchoir|toilettes|wc|cuvette|glaires?"
        r"|couche|slip|culotte|oreiller)",
        r"\b(selles|caca)( \w+){0,2} (noir\w*|rouges?|sanglantes|goudron)",
        r"\b(vomi\w*|crach\w*) (noir|rouge|marron)",
        r"\bmarc de cafe", r"\bhematemese", r"\bhemoptysie", r"\bmelena", r"\brectorragie",
        r"\bhematurie", r"\bsanglant", r"\burines? (est |sont )?(rouges?|rosees?|marron|foncees?)",
        r"\b(du|de) sang\b",
        r"\bpipi (rouge|rose)",
    ],
    "confusion": [
        r"\bconfus\b(?! (par|sur|entre|avec|de)\b)", r"\bconfuse\b(?! (par|sur|entre|avec|de)\b)",
        r"\bconfusion\b(?! entre)", r"\bdesorient", r"\bdelir", r"\bincoherent",
        r"\breconnai[st] plus", r"\breconnait (pas|personne)", r"\bsai[st] plus (ou|qui|quel)",
        r"\bsomnol", r"\b(arrive|arrivons|peut|peux|pouvons) (pas|plus) a (le |la |l )?reveiller",
        r"\b(difficile|impossible) (a|de) (le |la |l )?reveiller", r"\btres endormie?\b",
        r"\bse reveille (pas|plus)",
        r"\bdort tout le temps", r"\bhallucin", r"\bdit n importe quoi", r"\bperdu la tete",
        r"\b(il|elle) ne (me |nous |lui )?(repond|reagit) plus", r"\bne reagit plus",
        r"\bne repond plus (quand|a rien|du tout)",
    ],
    "fainting": [
        r"\bevanou", r"\b(perdu|perte|perd|perdre|perdue) (de )?connaissance", r"\bsyncope",
        r"\bmalaises?\b", r"\btombe\w* dans les pommes", r"\btourne\w* de l oeil",
        r"\bs est effondre", r"\bfainted\b", r"\bpassed out\b",
    ],
    "seizure": [
        r"\bconvuls", r"\bepilep", r"\bcrise convulsive", r"\bspasmes? (partout|incontrol)",
        r"\bse raidi", r"\bseizure",
        # "elle vient de faire une crise, elle était toute raide"
        r"\bcrise( \w+){0,6} (tout|toute|tous|toutes) raides?\b",
    ],
    "no_fluids": [
        r"\b(peux|peut|pouvons|arrive|arrivons|reussi\w*|reussis)( \w+)? (pas|plus|rien)"
        rf"{_GAP} (a |de |d )?(boire|avaler|rien garder|garder|m hydrater|s hydrater)",
        r"\brefus\w* (de )?(boire|s hydrater|toute boisson)",
        r"\b(garde|gardons|garder|retient|retiens|gard)( \w+)? (rien|plus rien|pas l eau|pas d eau)",
        r"\bboi[ts] (plus|rien)", r"\bne boire (plus|rien)", r"\brien ne passe",
        r"\b(meme|pas) l eau (ne )?passe", r"\bimpossible (d|de) (boire|avaler|rien garder)",
        r"\bdeshydrat", r"\bvomi\w* (tout|meme l eau|l eau|chaque)", r"\brecrache tout",
    ],
    "severe_gi": [
        r"\bdiarrhee", r"\bchiasse", r"\bselles (liquides|molles)", r"\b\d+ selles\b",
        r"\bla courante", r"\bvomi(s|t|e|es)?\b", r"\bvomissement",
        r"\b(arrete|arret|cesse|arretons|arretent) (pas|plus) de vomir", r"\ba vomir\b",
        r"\bvomir (toute|sans|tout|depuis|plusieurs|\d+ fois)", r"\b(se|me) vide\b",
        # "il va aux toilettes toutes les heures, c'est de l'eau"
        r"\btoilettes( \w+){0,8} (c est|que|rien que) (de l eau|liquide)",
    ],
    "no_urine": [
        r"\b(pas|plus|rien|jamais|presque pas)( (fait|fais|du|d|a|de|beaucoup|assez|reussi|pu|eu"
        r"|encore))* (urin|pipi|pisse)",
        r"\bn urin\w* (plus|pas|presque plus)", r"\burine (plus|pas|rien) depuis", r"\banurie",
        r"\bvessie (bloquee|pleine)",
    ],
    "phlebitis": [
        r"\bphlebit", r"\bthrombos", r"\bembolie", r"\bcaillot",
        rf"\b(jambes?|mollets?|cuisses?|cheville){_GAP} (gonfl|enfl|rouge|chaude?s?\b|dure?s?\b"
        r"|douloureu|fait mal|tendu|grosse|enorme)",
        rf"\b(gonfl\w*|enfl\w*|douleurs?|mal){_GAP} (jambes?|mollets?|cuisses?)\b",
        # a leg that "a doublé de volume", "fait le double de l'autre"
        rf"\b(jambes?|mollets?|cuisses?|chevilles?){_GAP} (a|ont|avait|avaient|fait|faisait)"
        r"( \w+)? (double|triple)",
        rf"\b(jambes?|mollets?|cuisses?|chevilles?){_GAP} (deux|trois) fois plus (grosse|gros|epaisse)",
    ],
    "allergy": [
        rf"\b(gorge|visage|langue|levres|paupieres){_GAP} (gonfl|enfl)",
        rf"\b(gonfl\w*|enfl\w*|oedeme){_GAP} (gorge|visage|langue|levres)",
        r"\banaphyla", r"\boedeme de quincke", r"\bgorge( \w+){0,2} (se )?(ferme|bloque)",
        # an allergic reaction during an infusion or an injection, either order
        rf"\breaction allergique{_GAP} (pendant|durant|en pleine|sous|a) (la |ma |sa |une )?"
        r"(perf|perfusion|injection|cure|seance)\b",
        r"\b(pendant|durant|en pleine) (la |ma |sa )?(perf|perfusion|injection|cure|seance)"
        r"(?: \w+){0,8}? ((fait|fais|faire|eu|declenche) (une )?(grosse |forte )?allergie"
        r"|reaction allergique)",
    ],
    "neuro_deficit": [
        # a stroke: "AVC" in capitals (red_flags.normalize writes it out) or spelled out. Lower-case
        # "avc" is also the SMS spelling of "avec" ("je veux parler avc un conseiller", "sous
        # oxaliplatine avc neuropathie", "avc ou pas"): it is a stroke at the start or the end of a
        # message, after an article, a possessive or a verb ("un avc", "d avc", "son avc", "fait
        # un avc", "signes avc"), before a kind of stroke ("avc ischemique"), or before a subject
        # pronoun, which "avec" never takes ("mon mari avc il ne bouge plus le bras")
        r"\baccident vasculaire", r"^avc\b", r"\bavc$",
        r"\b(un|d|l|le|son|mon|ton|petit|gros|fait|fais|faire|faisait|eu|signes?|symptomes?"
        r"|suspicion|risque|peur) avc\b",
        r"\bavc (ischemique|hemorragique|transitoire|cerebral|massif|grave)\b",
        r"\bavc (il|ils|je|j|on)\b",
        r"\bparalys\w*\b(?! (par|de peur|d angoisse))", r"\bbouche de travers",
        r"\bvisage (se )?(paralyse|de travers|deforme)",
        r"\b(bras|jambe) (qui ne repond plus|inerte)", r"\b(arrive|peut|peux) (plus|pas) a parler",
        r"\bne (peut|peux) plus parler",
        r"\b(arrive|peut|peux) (plus|pas) (a )?bouger (le|la|les|mon|ma|son|sa|ses|mes) (bras|jambes?|mains?|cote)",
        r"\bsen[st] plus (mes|ses|son|mon|sa|ma) (jambes?|bras|main)",
        # "mon bras ne bouge plus", "sa jambe bouge plus" (not "bouge plus facilement")
        r"\b(bras|jambes?|mains?)( (gauche|droite?))? (ne |n )?(bouge|bougent|repond|repondent) plus"
        r"(?! (facilement|qu|que|mieux|souvent|vite|librement|aisement|autant|aussi|comme"
        r"|beaucoup|trop|tellement|assez)\b)",
    ],
    "severe_pain": [
        rf"\b(douleurs?|mal){_GAP} (brutal|soudain|violent|atroce|insupportable|terrible|intense"
        r"|horrible|enorme|aigu|extreme|affreu|insoutenable|forte|tres forte|epouvantable|intenable"
        r"|abominable|a hurler|de fou)",
        r"\b(brutal|soudain|violent|atroce|insupportable|terrible|intense|horrible|enorme|fort"
        r"|extreme|affreu|insoutenable|epouvantable|intenable|abominable)\w*( \w+){0,2} douleurs?",
        # not how a treatment or an event was borne ("elle a très mal supporté sa chimio", "ça
        # s'est très mal passé", "il a très mal réagi à la cure", "très mal toléré", "il supporte
        # trop mal la chimio")
        r"(?<!vis )(?<!vit )(?<!vecu )(?<!vivre )(?<!prend )(?<!prends )(?<!pris )(?<!passe )(?<!repond )"
        r"(?<!supporte )(?<!supportes )(?<!supportent )(?<!supportait )(?<!tolere )(?<!reagit )"
        r"(?<!reagis )(?<!reagissent )"
        r"\b(tres|trop|super|hyper|tellement|horriblement|atrocement|terriblement|si) mal\b"
        r"(?! (dormi|dors|dormir|compris|comprends|vecu|vis|vit|vivre|pris|prend|explique|fait"
        r" de|a l aise|partout|support|toler|reagi|passe|accept|encaiss|digere|recu))",
        r"\bmal (comme jamais|de chien)",
        rf"\b(hurle|crie|pleure|plie|tord)\w*{_GAP} de (douleur|mal)",
        rf"\b(douleurs?|mal){_GAP} (d un coup|brutalement|soudainement)", r"\bplie\w* en deux",
        r"\b(10|dix) sur 10\b", r"\bcoup de poignard", r"\bpire mal de tete",
    ],
    "emergency_words": [
        r"\b(appeler|appelle|appele|contacter|faire venir) (le |les )?(15|samu|112|pompiers)\b",
        r"\b(aller|vais|va|allons|aille|ailles|emmener|emmene\w*|filer|courir|conduire) (aux |a l |a )?urgences?\b",
        r"^(urgence|urgent|sos|vite|help|a l aide)\b", r"\bau secours",
        r"\bc est (une )?urgence\b", r"\burgence vitale",
    ],
}

# --- crisis (never downgraded by the question heuristic) --------------------------------
# a wish (not a fear: "je ne veux pas mourir", "j'ai peur de mourir" are not crisis phrasings)
_NOT_NEGATED = r"(?<!pas )(?<!plus )(?<!jamais )(?<!peur )(?<!sans )"
_WISH = (
    r"(envie|veux|voudrais|veut|voulait|voulais|vouloir|aimerais|aimerait|souhaite|souhaiterais|prefere"
    r"|prefererais|prefererait|envisage|tente|tenter|essaye|essayer|decide|prete?|compte)"
)
_THINK = r"(pense|pensent|penser|pensees|idees|parle|parlent|reve|tentation)( \w+)? (a|de|d)"
_NO_NEG_GAP = r"(?: (?!pas\b|plus\b|jamais\b)\w+){0,3}?"
# "mettre fin au traitement", "en finir avec la chimio": a decision about care
# (stopping_treatment, a question for the care team), not a crisis
# (stays a crisis: "en finir avec cette maladie", "mettre fin à mes souffrances")
_TREATMENT = (
    r"(traitements?|chimio\w*|soins|protocoles?|essais?|immuno\w*|therapies?|cures?|perfusions?"
    r"|seances?|dialyses?|hospitalisations?|radio\w*|medicaments?|rendez vous|rdv|examens?|piqures?)"
)
_NOT_CARE = (
    r"(?! (au|aux|a l|a la|a sa|a son|a ses|a ma|a mon|a mes|a cette|a ce|a ces)"
    rf" ({_TREATMENT}|maladie|cancer|tumeurs?|symptomes?)\b)"
)
# "je me suis fait du mal en tombant", "on se fait du mal à lire les forums": an accident or
# brooding, not self-harm
_NOT_ACCIDENT_OR_BROODING = (
    r"(?! (en|a|a force de) (tomb|gliss|chut|cogn|lis|lir|regard|pens|cherch|ressass|imagin)\w*)"
)
_AVEC = r" avec (la |les |le |l |mes |ma |mon |ces |cette |ce |sa |son |ses )?"
_NOT_CARE_AVEC = rf"(?!{_AVEC}{_TREATMENT}\b)"
_NOT_A_WISH = (
    r"(traitements?|chimio\w*|immuno\w*|therapies?|cures?|protocoles?|essais?|papiers|dossiers?"
    r"|formulaires?|demarches|doses?|dosages?)"
)
_ACT = (
    r"(mourir(?! (chez|a la maison|a domicile|dans (mon|son) lit|entoure|pres|aupres))|crever"
    rf"|en finir{_NOT_CARE_AVEC}|me tuer|se tuer|me suicider|se suicider|disparaitre|me supprimer"
    rf"|(ne )?plus (me|se) reveiller|mettre fin{_NOT_CARE}|me faire (du )?mal|se faire (du )?mal"
    r"|me mutiler|se mutiler|me jeter|se jeter|me pendre|se pendre"
    r"|avaler (tous (?=mes|ses)|toute?s? )?(mes|ses|les|la|ma|sa) (boite|boites|cachets|comprimes|medicaments"
    r"|pilules)|etre morte?\b|partir pour de bon)"
)
# acts only: "je vais mourir" is a fear, "je vais me tuer" is not
_ACT_NOW = (
    rf"(en finir{_NOT_CARE_AVEC}|me tuer|se tuer|me suicider|se suicider|me foutre en l air|se foutre en l air"
    rf"|mettre fin{_NOT_CARE}|me jeter|se jeter|me pendre|se pendre|avaler (tous (?=mes|ses)|toute?s? )?(mes|ses|les) (boites?"
    r"|cachets|comprimes|medicaments|pilules))"
)
CRISIS_PATTERNS: dict[str, list[str]] = {
    "suicidal_ideation": [
        r"\bsuicid", r"\b(me|se) (tuer|pendre|foutre en l air|supprimer)\b",
        rf"\b{_NOT_NEGATED}{_WISH}{_NO_NEG_GAP} (a |de |d )?{_ACT}",
        rf"\b{_THINK} {_ACT}",
        rf"\ben finir\b(?!{_AVEC}({_TREATMENT}|fatigue|nausees?|constipation|toux|diarrhee|douleurs?"
        r"|effets?|paperasse|demarches|questions)\b)",
        r"\bmettre fin a (mes|ses|sa|ma|mon|son) (jours|vie|existence)",
        rf"\b(vais|va|allait|allais) {_ACT_NOW}",
        r"\bidees? noire?s?\b", r"\bkill myself", r"\bwant to die", r"\bend my life",
    ],
    "wish_to_die": [
        r"\b(plus|pas|aucune|aucun|perdu) (d |l |de |la )?(envie|gout|raison|force|interet) de vivre",
        r"\b(veux|voudrais|veut|souhaite) plus (vivre|etre la)\b", r"\bne plus exister",
        r"\b(marre|assez|ras le bol) de (vivre|la vie|cette vie|etre en vie)",
        r"\bfatigue de vivre",
        r"\b(arreter|cesser)( \w+){0,2} de vivre",
        r"\ba quoi bon (continuer )?(a )?(vivre|rester en vie)",
        r"\b(vie|existence) (n a|a) plus (de|aucun) sens", r"\bne vaut plus (la peine|le coup)",
        r"\ben (finir|terminer) avec (la|ma|cette) vie", r"\bs arrete pour (toujours|de bon)",
        r"\bque tout s arrete", r"\b(de|a) ne plus (me|se) reveiller",
        r"\bne jamais (me )?reveiller",
        r"\b(pas|plus) envie de (me )?reveiller",
        r"\b(en)?dormir pour (toujours|de bon|l eternite)",
        r"\b(mort|mourir) (serait|sera) (un soulagement|une delivrance|plus simple|mieux)",
        r"\b(simple|mieux|facile) de (mourir|disparaitre|en finir)",
        r"\bmieux (sans moi|mort|morte)\b",
        r"\bserai\w* mieux morte?\b",
        r"\bmieux (que|si) je (meure|mourais|disparaisse|disparaissais"
        r"|sois morte?|ne sois plus la|n etais plus la)",
        r"\bpersonne ne (me )?regretter", r"\bsouhaite ma mort",
        r"\bplus rien a faire (ici|sur terre)",
        r"\bfardeau pour (tout le monde|les autres|ma famille|mes proches|mes enfants)",
        r"\brejoindre( \w+){0,3} (au ciel|la haut|de l autre cote)", r"\b(m|nous) attend\w* (la haut|au ciel)\b",
        # farewells written or prepared ("une lettre d'adieu", "un texto d'adieu", "j'ai préparé
        # mes adieux"; not "j'ai fait mes adieux à mon père" at a bedside)
        r"\b(lettres?|textos?|sms) d adieu", r"\b(prepare|ecrit|redige)\w*( \w+){0,2} mes adieux\b",
        r"\bplus (un|une) (poids|fardeau|charge)( pour \w+( \w+)?)? (bien |tres )?longtemps\b",
        r"\blaisser mourir", r"\baide a mourir",
        r"\bm aider? a (mourir|partir)\b(?! (en|a|au|aux|chez"
        r"|pour|du|de)\b)", r"\b(je|j|me|moi)( \w+){0,5} (euthanasi|suicide assiste)",
        # nothing left to hold one back (but "rien ne me retient à Paris" is about moving)
        r"\b(plus )?rien ne me retient( plus)?\b(?! (a|au|aux|en|dans|pour|chez)\b)",
        r"\b(me|se) tirer une balle",
        r"\bsauter (du|par la|d un|d une) (pont|fenetre|balcon|immeuble|falaise)",
        # means: hoarded or prepared medication
        r"\b(prevu|achete|garde|prepare|stocke|trouve|cherche)\w*( \w+){0,4} (pour|de quoi)"
        r" (mourir|en finir|me tuer|me suicider)",
        r"\btout avaler d un (seul )?coup",
        r"\bstock\w* (mes|ses|des) (medicaments|cachets|comprimes)",
        r"\b(medicaments|cachets|comprimes|pilules) de cote pour",
        r"\b(prendre|avaler|prends|avale) (tous|toutes) (mes|ses|les) (medicaments|cachets|comprimes"
        r"|pilules|boites) (d un|en une) (seule? )?(coup|fois)",
        # not "en même temps": "je peux prendre tous mes médicaments en même temps le matin ?"
        # is how people ask about their prescriptions, and got the crisis answer (2026-12-07)
        # asking for a lethal amount
        r"\bcombien de (cachets|comprimes|medicaments|pilules|boites|gelules|somniferes)( \w+){0,6}"
        r" pour (ne )?((pas|plus|jamais) (me |se )?reveiller|mourir|en finir|partir)\b",
        r"\b(dose|quantite)s?(( \w+){0,3} (est|serait|sont|seraient))? (mortelles?|letales?)",
        # "la quantité d'oxycodone qui tue" (but "la dose de chimio qui tue les cellules")
        r"\b(dose|quantite|nombre)s?( \w+){0,3} qui tue\b(?! (les|la|le|des|l|ses|mes|ces) )",
        # looking up how to die ("j'ai cherché comment partir sans souffrir"; not "comment partir
        # en vacances")
        r"\b(cherch|regard|renseign|googl|tape)\w*( \w+){0,4} comment (mourir|en finir|me tuer"
        r"|me suicider|disparaitre|partir sans (souffrir|douleur|avoir mal))\b",
        # a rope or a weapon made ready
        r"\b(achete\w*|cache\w*|sorti\w*|prepare\w*|acheter|pense a acheter) (une corde|son fusil"
        r"|le fusil|son arme|une arme|ses armes)\b",
        # relief at the thought of not being there
        r"\b(simple|mieux|facile|leger|soulage\w*)( pour \w+( \w+){0,2})? si je (n etais|n etait) plus la\b",
        r"\bje (ne )?me reveille (pas|plus)( \w+){0,6} (cadeaux?|soulagement|delivrance|tant mieux)\b",
        r"\b(je suis|suis) (un|une) (fardeau|poids)\b",
        r"\b(tout )?(lacher|quitter) pour de bon\b",
        # the usual euphemisms: "faire une bêtise", "l'irréparable"; not a mistake in the papers,
        # a dose or a treatment choice ("peur de faire une bêtise en me trompant de dose", "une
        # bêtise avec son traitement") and not a child's mischief ("des bêtises", "à l'école").
        # Pills stay a crisis: "une bêtise avec mes cachets".
        r"\b(faire|commettre) l irreparable\b",
        r"\b(peur|envie|tente\w*|tentation|risque) de faire une (betise|connerie)\b"
        rf"(?! (en|dans|a|au|aux)\b)(?!{_AVEC}{_NOT_A_WISH}\b)",
        r"\bje (vais|risque de|pourrais) faire une (betise|connerie)\b"
        rf"(?! (en|dans|a|au|aux)\b)(?!{_AVEC}{_NOT_A_WISH}\b)",
        # taking one's death in hand before the disease does
        r"\bne (me|m) (tue|tuera|emporte|emportera) pas( \w+){0,2},? je (le ferai|vais le faire|m en charge\w*)",
        r"\bje m en (occuperai|occupe|chargerai)( moi meme)? avant (elle|lui|la maladie|le cancer)\b",
    ],
    # self-harm: deliberate injury is a crisis whatever the intent behind it
    "self_harm": [
        r"\bscarifi", r"\bautomutil", r"\b(me|se|m|s) mutil",
        r"\b(me|m|se|s|te|t)( suis| est| etais| etait)? (coup|entaill|taillad|lacer|ouvert|ouvr)\w*"
        r"( \w+){0,3} (bras|poignets?|veines|cuisses|avant bras)\b",
        r"\b(me|m|se|s)( suis| est)? brul\w*( \w+){0,6} (expres|volontairement)\b",
        r"\b(me|m|se|s)( suis| est)? brul\w*( \w+){0,2} (avec )?(ma|sa|une|des|mes|ses|la|les)"
        r" (cigarettes?|clopes?|briquet)\b",
        r"\b(me|m|se|s)( suis| est)? brul\w*( \w+){0,2} (avec )?un briquet\b(?! en allumant)",
        r"\b(me|m|se|s)( suis| est)? fai\w*( \w+)? (du )?mal (expres|volontairement)\b",
        # reflexive "du mal" is done to oneself: "je me suis fait du mal", "il s'est encore fait
        # du mal", "je me fais du mal" (not "ça me fait du mal", "je me suis fait mal au dos"),
        # unless a fall or brooding says how ("en tombant", "à lire les forums")
        r"\b(je|j)( ne)? (me|m) (suis|fais|faisais|etais)( \w+){0,2} du mal\b" + _NOT_ACCIDENT_OR_BROODING,
        r"(?<!on )(?<!ca )\b(se|s) (fait|font|faisait|faisaient|est|sont|etait)( \w+){0,2} du mal\b"
        + _NOT_ACCIDENT_OR_BROODING,
        r"\b(tap|frapp|cogn|coup|brul|griff|arrach|mord|pinc)\w*( \w+){0,6} pour (me|se) (punir|faire (du )?mal)\b",
        r"\b(tap|frapp|cogn)\w* (la tete|les poings|le poing)( \w+){0,2} contre (le|les) murs?\b",
        r"\barrach\w* la peau( \w+){0,4} expres\b",
        r"\b(me|se|m|s)( suis| est)? griff\w*( \w+){0,4} jusqu au sang\b",
        r"\b(je me|j me|tu te|se|s) (mets|met|mettait|mettais|donne|donnes|donnait|donnais) des coups"
        r"( de (poing|pied|tete|couteau))?( \w+){0,2}( dans| contre| sur)? (le|la|les|mon|ma|mes|son|sa|ses)\b",
        r"\b(soulage|calme|apaise|fait du bien)\w*( \w+){0,2} de (me|se) faire (du )?mal\b",
        r"\bc est (elle|lui|moi) (meme )?qui (se|me) les (fait|fais|inflige)\b",
        r"\b(je me|j me|tu te|il se|elle se) frapp\w*( \w+)? (les|la|le|mes|ses|ma|sa)"
        r" (jambes?|bras|tete|cuisses?|ventre|visage)\b",
    ],
}
