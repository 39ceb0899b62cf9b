"""Spelling of the red-flag detector (components/red_flags.py): how a message's words are
mended before the patterns of components/red_flag_lexicon.py read it.

- MISSPELLINGS: SMS spellings and frequent misspellings, replaced token by token;
- FUZZY_VOCAB: the words other typos are corrected into, by a bounded edit distance;
- PROTECTED and components/red_flag_neighbours.py (generated): real words near them, left as
  written;
- DECOYS: everyday words; a typo as close to one of them as to a word of FUZZY_VOCAB is left.

Medical reviewers can read and extend these lists without touching the matching logic.
"""

# SMS spellings and frequent misspellings, replaced token by token before matching
MISSPELLINGS: dict[str, str] = {
    "jai": "j ai", "jaii": "j ai", "g": "j ai", "chui": "je suis", "chuis": "je suis",
    "jsuis": "je suis", "jsui": "je suis", "jss": "je suis", "jarrive": "j arrive",
    "jpeux": "je peux", "jpe": "je peux", "jveux": "je veux", "jvx": "je veux",
    "jvais": "je vais", "jme": "je me", "jcrache": "je crache", "jvomis": "je vomis",
    "jrespire": "je respire", "jtousse": "je tousse", "jsaigne": "je saigne", "jetouffe": "j etouffe", "jen": "j en",
    "jvois": "je vois", "jcrois": "je crois", "jsais": "je sais", "jdois": "je dois", "jpense": "je pense",
    "pr": "pour",
    "pa": "pas", "pu": "plus", "p": "pas", "tt": "tout", "tte": "toute", "bcp": "beaucoup",
    "ds": "dans", "ke": "que", "koi": "quoi", "pk": "pourquoi", "pq": "pourquoi",
    "pkoi": "pourquoi", "mnt": "maintenant", "mtn": "maintenant", "auj": "aujourd hui",
    "ajd": "aujourd hui", "ya": "y a", "ki": "qui", "fievr": "fievre", "fiev": "fievre",
    "fivre": "fievre", "fiebre": "fievre", "diaree": "diarrhee", "diarree": "diarrhee",
    "diarhee": "diarrhee", "diahree": "diarrhee", "diarrhe": "diarrhee", "diare": "diarrhee",
    "diarhe": "diarrhee", "diarre": "diarrhee", "dyarhee": "diarrhee", "flebite": "phlebite",
    "flebit": "phlebite", "frison": "frisson", "frisons": "frissons", "vomie": "vomi",
    "vomies": "vomi", "vommi": "vomi", "vommis": "vomis", "vomise": "vomi",
    "boir": "boire", "respir": "respire", "selle": "selles",
    "mourrir": "mourir", "mourire": "mourir", "envi": "envie", "anvie": "envie",
    "suiside": "suicide", "sucide": "suicide", "san": "sang",
    "tempe": "temperature", "temperatur": "temperature", "malaize": "malaise",
    "evanouis": "evanoui", "evanouit": "evanoui", "ensanglante": "sanglant",
}

# targets of the bounded edit-distance correction (typos of words >= 5 letters). Short or
# ambiguous words (saigne/signe, vomis/vomir, selles/seules, boire/boite) are left out on
# purpose: their misspellings are listed in MISSPELLINGS instead. From "vivre" on: the content
# words of the crisis and emergency patterns, added when typos inside them ("virve", "caclets",
# "fusul") were found to hide an alarm (2026-12-07). The real words near any of them are in
# components/red_flag_neighbours.py (regenerate it after a change here).
FUZZY_VOCAB: frozenset[str] = frozenset(
    """fievre febrile fievreux fievreuse temperature thermometre frisson frissons grelotte
    respirer respire respiration essouffle essoufflee essoufflement etouffe suffoque poitrine
    thoracique oppression saignement saignements hemorragie crachats vomissement vomissements
    uriner confusion desoriente desorientee somnolent somnolente somnolence reveiller evanoui
    evanouie evanouissement malaise connaissance convulsion convulsions epilepsie avaler
    deshydrate deshydratation diarrhee diarrhees phlebite thrombose mollet gonflee gonfle
    enflee douleur douleurs brutale soudaine violente atroce insupportable intense intenses
    horrible suicide suicider suicidaire mourir
    vivre envie finir foutre cachets comprimes medicaments somniferes pilules gelules fusil
    couteau corde poignets poignet poignard sauter fenetre balcon immeuble falaise disparaitre
    exister adieu idees noires existence eternite mutiler fardeau crever insoutenable intenable
    delivrance thorax sternum cardiaque infarctus embolie caillot syncope confus confuse
    incoherent paralyse convulsive jambe jambes mollets cheville chevilles gorge langue levres
    visage gencives sanglant sanglantes melena hematurie hemoptysie hematemese urines anurie
    dyspnee oedeme allergie allergique claque tremble trembler tremblement tremblements
    tremblait partout violent brutal brutalement soudain soudainement atrocement horriblement
    terrible terriblement epouvantable respiratoire sifflante spasmes secours urgence urgences
    pompiers""".split()
)

# real French words one edit away from a target: never corrected
PROTECTED: frozenset[str] = frozenset(
    """signe signes signer soigne soigner soignee soignes soignent douceur souffre souffrir
    violet violette finit finis finie trousse cache cacher seules salles celles boite boites
    prendre perdre usine mourra mourrai nourrir courir fiere fievres violence molle conversion
    reveille urine""".split()
)

# everyday words of the training data (five times or more) two edits or fewer from a
# correction target: a typo as close to one of them as to the target is left as written
# ("malaide" is "malade" as much as "malaise"; found 2026-12-07 on generated typos)
DECOYS: frozenset[str] = frozenset(
    """maladie malade malades aider aides entre comme ligue chaque aller vient vivent frere
    corps coute garde souhaite votre ville jamais docteur refaire papiers conge sante
    fusion""".split()
)
