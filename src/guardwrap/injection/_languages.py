"""The signal families' phrases in the languages a European bank's customers write: German,
French, Spanish, Italian, Dutch and Portuguese.

An attacker who writes "Ignoriere alle vorherigen Anweisungen" instead of "Ignore all previous
instructions" should meet the same signal. Each pattern here is the counterpart of an English one
in `_signals` and carries the same family and weight, so the learned tier reads it as the same
feature (``s:override:0.95`` is one weight whatever the language). Patterns run on the canonical
view, which is case-folded with accents removed ("précédentes" reads "precedentes"; "ß" stays).

What the English patterns leave out, these leave out too: a customer taking back their *own*
instructions ("Bitte ignorieren Sie meine vorherigen Anweisungen zur Überweisung", "Olvide mis
instrucciones anteriores") names them with a first-person possessive, which no pattern allows;
"ignore the instructions in uploaded documents", which system prompts say, has no word for
*earlier* instructions; a question about a phone's developer mode has no request to answer
without rules.

Each entry is ``(family, weight, needs, pattern)`` as in `_signals._PATTERNS`: ``needs`` are the
words one of which every match contains (the anchors the scan looks for before running it).
"""

from __future__ import annotations

from ._lookbehind import not_after

__all__ = ["DEVICE_AFTER", "OWNED", "PATTERNS"]

_W = r"[^.!?\n]"  # stay within one sentence

# -- override: a verb that sets aside + the *earlier* instructions, rules or guidelines ------------
# (the determiner slot takes "the / your / these / all", never "my / our")
_DE_EARLIER = (r"(?:vorherige[nrs]?|vorige[nrs]?|bisherige[nrs]?|obige[nrs]?|fruhere[nrs]?|vorangegangene[nrs]?|"
               r"vorhergehende[nrs]?|ursprungliche[nrs]?|anfangliche[nrs]?|alte[nrs]?|bestehende[nrs]?|erste[nrs]?)")
_DE_OBJECT = (r"(?:system)?-?(?:anweisungen|anweisung|instruktionen|regeln|richtlinien|vorgaben|befehle|anordnungen|"
              r"einschrankungen|sicherheitsregeln|programmierung|prompts?|systemprompts?)")
_DE = (rf"\b(?:ignorier(?:e|en|t)?|vergiss|vergessen|missachte[nt]?|ubergeh(?:e|en|t)|verwirf|verwerfen)\s+"
       rf"(?:sie\s+)?(?:bitte\s+)?(?:jetzt\s+|nun\s+|sofort\s+)?(?:alle[ns]?\s+|samtliche[ns]?\s+|jegliche[ns]?\s+)?"
       rf"(?:die\s+|deine[ns]?\s+|ihre[ns]?\s+|diese[ns]?\s+|der\s+|den\s+)?{_DE_EARLIER}\s+{_DE_OBJECT}\b")
_FR_OBJECT = r"(?:instructions?|consignes?|regles?|directives?|commandes|ordres|restrictions|limitations|garde-fous|prompts?)"
_FR_EARLIER = (r"(?:precedentes?|precedents?|anterieures?|anterieurs?|ci-dessus|initiales?|initiaux|d'origine|"
               r"originales?|originaux|du\s+systeme|systeme|que\s+(?:tu\s+as|vous\s+avez|l'on\s+(?:t|vous)'a|on\s+(?:t|vous)'a)\s+(?:recues?|recus?|donnees?)|"
               r"(?:recues?|recus|donnees?)\s+jusqu'(?:ici|a\s+present|a\s+maintenant))")
_FR = (rf"\b(?:ignore[zrs]?|oublie[zrs]?|ne\s+tien[st]\s+(?:pas\s+|plus\s+)?compte|ne\s+tenez\s+(?:pas\s+|plus\s+)?compte|"
       rf"fai(?:s|tes)\s+abstraction|outrepasse[zr]?|ecarte[zr]?|n'obei(?:s|ssez)\s+plus)\s+"
       rf"(?:de\s+|des\s+|aux?\s+)?(?:maintenant\s+)?(?:toutes?\s+|tous\s+)?(?:les\s+|tes\s+|vos\s+|ces\s+|la\s+|ta\s+|votre\s+)?"
       rf"(?:precedentes\s+|anterieures\s+)?{_FR_OBJECT}\s+{_FR_EARLIER}\b")
_ES_OBJECT = r"(?:instrucciones|instruccion|reglas|directrices|indicaciones|normas|ordenes|restricciones|pautas|prompts?)"
_ES_EARLIER = (r"(?:anteriores|previas|precedentes|de\s+arriba|iniciales|originales|del\s+sistema|de\s+sistema|"
               r"que\s+(?:te|le)\s+(?:dieron|han\s+dado|dio))")
_ES = (rf"\b(?:ignora[rn]?|ignore[ns]?|olvida[rn]?|olvide[ns]?|olvidate\s+de|olvidese\s+de|descarta[rn]?|descarte[ns]?|"
       rf"omite[ns]?|omita[ns]?|pasa\s+por\s+alto|no\s+hagas\s+caso\s+(?:a|de)|deja\s+de\s+seguir|no\s+sigas)\s+"
       rf"(?:ahora\s+)?(?:todas\s+|todos\s+)?(?:las\s+|los\s+|tus\s+|sus\s+|estas\s+|esas\s+|la\s+|tu\s+|su\s+)?"
       rf"{_ES_OBJECT}\s+{_ES_EARLIER}\b")
_IT_OBJECT = r"(?:istruzioni|regole|direttive|indicazioni|linee\s+guida|norme|restrizioni|ordini|prompts?)"
_IT_EARLIER = (r"(?:precedenti|iniziali|originali|originarie|di\s+sistema|del\s+sistema|di\s+prima|sopra|"
               r"che\s+(?:ti|le)\s+(?:hanno\s+dato|sono\s+state\s+date)|(?:ricevute|ricevuti|avute)\s+(?:finora|fino\s+ad?\s+ora|fin\s+qui)|"
               r"finora)")
_IT = (rf"\b(?:ignora(?:re|te)?|ignori|dimentica(?:re|te)?|dimentichi|trascura(?:re|te)?|trascuri|non\s+seguire|"
       rf"smetti\s+di\s+seguire|non\s+tenere\s+conto\s+(?:di|delle|degli))\s+"
       rf"(?:ora\s+)?(?:tutte\s+|tutti\s+)?(?:le\s+tue\s+|le\s+sue\s+|le\s+|i\s+|gli\s+|tue\s+|queste\s+|la\s+)?"
       rf"{_IT_OBJECT}\s+{_IT_EARLIER}\b")
_NL = (r"\b(?:negeer|negeert|negeren|vergeet|vergeten|verwerp|verwerpt)\s+(?:nu\s+)?(?:alle\s+)?"
       r"(?:de\s+|je\s+|jouw\s+|uw\s+|deze\s+|die\s+)?(?:vorige|eerdere|voorgaande|bovenstaande|oorspronkelijke|vroegere|"
       r"bestaande|oude|originele|eerste)\s+(?:systeem)?(?:instructies|instructie|regels|richtlijnen|aanwijzingen|"
       r"opdrachten|beperkingen|prompts?)\b"
       r"|\b(?:negeer|negeert|negeren|vergeet|vergeten|verwerp|verwerpt)\s+(?:nu\s+)?(?:alle\s+)?(?:de\s+)?(?:systeem)?"
       r"(?:instructies|regels|richtlijnen|aanwijzingen|opdrachten|beperkingen|prompts?)\s+die\s+(?:je|jij|u)\s+"
       r"(?:tot\s+nu\s+toe|eerder|hiervoor)\s+(?:hebt\s+|heeft\s+)?(?:kreeg|kreegt|gekregen|ontving|ontvangen)\b")
_PT_OBJECT = r"(?:instrucoes|instrucao|regras|diretrizes|orientacoes|ordens|restricoes|prompts?)"
_PT = (rf"\b(?:ignore|ignora|ignorar|ignorem|esqueca|esquece|esquecer|esquecam|desconsidere|desconsidera|descarte|"
       rf"descarta|deixe\s+de\s+seguir|nao\s+siga)\s+(?:agora\s+)?(?:todas\s+|todos\s+)?(?:as\s+suas\s+|as\s+tuas\s+|"
       rf"as\s+|os\s+|suas\s+|tuas\s+|estas\s+|essas\s+|a\s+)?{_PT_OBJECT}\s+"
       rf"(?:anteriores|previas|iniciais|originais|do\s+sistema|de\s+sistema|acima|que\s+(?:te|lhe)\s+deram|que\s+(?:recebeste|recebeu|recebestes)|(?:recebidas|dadas)\s+ate\s+agora)\b")

# "forget everything you were told before"
_FORGET_ALL = (r"\b(?:vergiss\s+alles,?\s+was\s+(?:man\s+)?dir|vergessen\s+sie\s+alles,?\s+was\s+(?:man\s+)?ihnen|"
               r"oublie\s+tout\s+ce\s+qu'on\s+t'a|oubliez\s+tout\s+ce\s+qu'on\s+vous\s+a|"
               r"olvida\s+todo\s+lo\s+que\s+te|olvide\s+todo\s+lo\s+que\s+le|"
               r"dimentica\s+tutto\s+(?:quello\s+|cio\s+)?che\s+ti|vergeet\s+alles\s+wat\s+(?:je|jou|u)|"
               r"esqueca\s+tudo\s+(?:o\s+)?que\s+(?:te|lhe))"
               rf"{_W}{{0,40}}\b(?:gesagt|beigebracht|vorgegeben|gegeben|dit|appris|donne|dijeron|dicho|ensenaron|dado|"
               r"detto|insegnato|dato|verteld|gezegd|geleerd|disseram|ensinaram|dito)\b")

# "new instructions:" / "new rules:" (English: override 0.6)
_NEW_RULES = (r"\b(?:neue|aktualisierte|echte|wahre|geheime|nouvelles?|vraies?|veritables|nuevas|verdaderas|"
              r"nuove|vere|nieuwe|echte|novas|verdadeiras)\s+(?:system)?(?:anweisungen|regeln|instructions|regles|"
              r"consignes|instrucciones|reglas|istruzioni|regole|instructies|regels|instrucoes|regras)\s*(?::|-)")

# "the previous instructions are void / cancelled" (English: override 0.7)
_VOID = (r"\b(?:alle\s+|die\s+|toutes\s+les\s+|les\s+|todas\s+las\s+|las\s+|tutte\s+le\s+|le\s+|alle\s+|de\s+|todas\s+as\s+|as\s+)?"
         r"(?:vorherigen|bisherigen|fruheren|obigen|ursprunglichen|instructions|consignes|regles|instrucciones|ordenes|reglas|"
         r"normas|istruzioni|regole|eerdere|vorige|oorspronkelijke|instrucoes|ordens|regras)\s+"
         r"(?:anweisungen\s+|regeln\s+|vorgaben\s+|precedentes\s+|anterieures\s+|d'origine\s+|anteriores\s+|previas\s+|"
         r"originales\s+|precedenti\s+|di\s+prima\s+|originali\s+|instructies\s+|regels\s+|opdrachten\s+|originais\s+)?"
         r"(?:sind|seien|wurden|sont|ont\s+ete|quedan|estan|son|han\s+sido|sono|vengono|zijn|worden|foram|estao|sao|ficam)\s+"
         r"(?:jetzt\s+|ab\s+sofort\s+|desormais\s+|maintenant\s+|ahora\s+|ora\s+|nu\s+|agora\s+)?"
         r"(?:aufgehoben|ungultig|nichtig|annulee?s|nulles|caduques|anuladas|anulados|invalidas|nulas|annullate|annullati|"
         r"nulle|non\s+valide|vervallen|ongeldig|nietig|geannuleerd|anuladas|invalidas|canceladas|revogadas)\b")

# "the original rules no longer apply" (English: override 0.8, round 14; round 15): the rules named
# as the earlier ones, so that a bank's notice ("die bisherigen Bedingungen gelten nicht mehr", "les
# anciens tarifs ne s'appliquent plus") is not one
_NO_LONGER = (r"\b(?:(?:les\s+)?(?:regles|consignes|instructions|directives)\s+(?:d'origine|initiales|precedentes|anterieures|originales)\s+"
              r"ne\s+s'appliquent\s+plus"
              r"|(?:las\s+)?(?:normas|reglas|instrucciones|pautas|directrices)\s+(?:originales|anteriores|iniciales|previas)\s+ya\s+no\s+"
              r"(?:valen|aplican|se\s+aplican|rigen|cuentan)"
              r"|(?:le\s+)?(?:regole|istruzioni|norme|indicazioni|direttive)\s+(?:originali|precedenti|iniziali|di\s+prima)\s+non\s+"
              r"(?:valgono|si\s+applicano|contano)\s+piu"
              r"|(?:de\s+)?(?:oorspronkelijke|eerdere|vorige|originele)\s+(?:regels|instructies|richtlijnen)\s+gelden\s+niet\s+meer"
              r"|(?:as\s+)?(?:regras|instrucoes|orientacoes|normas|diretrizes)\s+(?:originais|anteriores|iniciais)\s+ja\s+nao\s+"
              r"(?:valem|se\s+aplicam|contam)"
              r"|(?:die\s+)?(?:ursprunglichen|vorherigen|originalen|fruheren)\s+(?:regeln|anweisungen|vorgaben|richtlinien)\s+gelten\s+"
              r"(?:ab\s+sofort\s+|jetzt\s+|nun\s+)?nicht\s+mehr"
              r"|gelten\s+(?:ab\s+sofort\s+|jetzt\s+|nun\s+)?(?:die\s+)?(?:ursprunglichen|vorherigen|originalen|fruheren)\s+"
              r"(?:regeln|anweisungen|vorgaben|richtlinien)\s+nicht\s+mehr)\b"
              # (said, not asked: "les règles d'origine ne s'appliquent plus depuis la fusion ?" is a
              # customer's question)
              rf"(?!{_W}*\?)")

# -- persona: "you are now an AI without rules / restrictions / filters" ----------------------------
_PERSONA = (r"\b(?:du\s+bist|sie\s+sind|ihr\s+seid|tu\s+es|vous\s+etes|eres|usted\s+es|sei|lei\s+e|je\s+bent|jij\s+bent|"
            r"u\s+bent|voce\s+e|tu\s+e|agora\s+voce\s+e|ahora\s+eres|ora\s+sei|spiel\w*|joue[zr]?|finge|fingi|pretende[rn]?|"
            r"speel|doe\s+alsof|faz\s+de\s+conta|agisci\s+come|actua\s+como|agis\s+comme|agissez\s+comme|handle\s+als|verhalte\s+dich|"
            # (round 15: "imagine you are ...": "immagina di essere", "stel je voor dat je", "imagina que és")
            r"immagina\s+di\s+essere|immaginati|stel\s+je\s+voor\s+dat\s+je|imagina\s+que\s+(?:es|eres|voce\s+e)|imagine\s+que\s+tu\s+es|"
            r"stell\s+dir\s+vor,?\s+(?:du\s+bist|dass\s+du))"
            rf"{_W}{{0,60}}\b(?:ohne|keine|frei\s+von|sans|aucune|libre\s+de|sin|ninguna|senza|nessuna|libero\s+da|"
            r"zonder|geen|vrij\s+van|sem|nenhuma|livre\s+de)\b"
            rf"{_W}{{0,25}}\b(?:regeln|einschrankungen|beschrankungen|grenzen|filter|zensur|richtlinien|ethik|moral|"
            r"restrictions?|limites?|regles?|filtres?|censure|ethique|morale|restricciones|limites|reglas|normas|filtros|"
            r"censura|etica|moral|restrizioni|restrizione|restriccion|restricao|regla|regola|regra|limiti|regole|filtri|etica|beperkingen|"
            r"grenzen|regels|filters|censuur|"
            r"ethiek|moraal|restricoes|regras|filtros)\b")
# "an assistant who knows no rules" (English: persona 0.85, round 14; round 15)
# (not "limits": "kennt keine Grenzen", like "knows no limits", is an idiom of generosity)
_KNOWS_NO = (r"\b(?:que|qui|che)\s+(?:no\s+conoce|nao\s+conhece|non\s+conosce|ne\s+connait)\s+"
             r"(?:ninguna\s+|nenhuma\s+|alcuna\s+|aucune\s+|nulle\s+)?(?:normas?|reglas?|regras?|regole|regola|regles?|leyes|"
             r"leggi|lois|leis|ley|legge|loi|lei)\b"
             r"|\b(?:die|der|das)\s+(?:geen|keine)\s+(?:regels|regel|regeln|richtlinien|wetten|gesetze)\s+(?:kennt|kent)\b")
#: a thing the user owns or plays, named in the same sentence after a mode ("developer mode on my
#: Android phone", "god mode in the game", "den Entwicklermodus auf meinem Telefon"): a setting of a
#: device, a game or a program, which a customer asks about (banking apps refuse to run with
#: developer mode on; games have god modes), not a persona (round 12; round 13, fpr16: games,
#: consoles, gadgets and programs besides phones; English uses it too, and for "jailbreak")
OWNED = (r"(?:phones?|smartphones?|android|iphone|ipad|ipod|pixel|galaxy|samsung|xiaomi|huawei|oneplus|tablets?|devices?|laptops?|pc|computers?|mac|macbook|"
         r"chromebook|browsers?|chrome|firefox|windows|linux|ubuntu|macos|ios|bios|firmware|os|consoles?|xbox|"
         r"playstation|ps[2-5]|psp|vita|nintendo|3ds|wii|steam|steam\s+deck|games?|gaming|servers?|"
         r"headsets?|quest|oculus|vr|kindle|e-?readers?|drones?|watch|smartwatch|garmin|fitbit|tv|fire\s+tv|firestick|"
         r"roku|apple\s+tv|printers?|kiosks?|routers?|modems?|cars?|tesla|scooters?|thermostats?|vs\s+code|ide|"
         r"emulators?|app|apps|software|program|extensions?|"
         r"telefon\w*|handy|tablette?s?|telephone|portable|ordinateur|appareil|"
         r"telefono|movil|celular|ordenador|cellulare|telefoon|mobiel|apparaat|computador|dispositivo|gerat|tableta|tabletas)")
DEVICE_AFTER = (rf"(?!{_W}{{0,30}}\b(?:on|in|of|for|from|auf|am|im|sur|sous|de|du|en|sul|sulla|nel|nella|op|van|"
                rf"no|na|em|do|da|del|della)\s+(?:[\w'-]+\s+){{0,3}}?{OWNED}\b)")
# "developer mode", "DAN mode", "jailbreak mode" (English: persona 0.85)
#: (a mode turned off, which attacks never ask: "desactivo el modo desarrollador", "den
#: Entwicklermodus wieder ausschalten", "den Entwicklermodus ... aus"; round 13, fpr16)
_MODE_OFF_BEFORE = not_after(rf"\b{v} {d} " for v in (
    "desactivo", "desactivar", "desactiva", "desactive", "desactivez", "desactiver", "desactivo", "disattivo",
    "disattivare", "disattiva", "disattivi", "desativo", "desativar", "desative", "desativa", "deaktiviere",
    "deaktivieren", "schakel", "uitschakelen", "quitar", "quito", "sair", "salir", "uscire", "exit")
    for d in ("el", "le", "la", "il", "o", "den", "de", "del", "du", "dal", "do", "da"))
_MODE_OFF_AFTER = r"(?!\s+(?:(?:wieder|komplett|ganz)\s+)?(?:aus|ausschalten|deaktivieren|uit)\b)"
_MODE = (r"\b(?=entwickler|dan-|jailbreak-|gott|mode|modo|modalita|ontwikkelaar|godmodus|god-modus)" + _MODE_OFF_BEFORE + r"(?:entwicklermodus|entwickler-modus|dan-modus|jailbreak-modus|gottmodus|gott-modus|"
         r"(?:mode|modo|modalita)\s+(?:developpeur|desarrollador|desenvolvedor|sviluppatore|dan|jailbreak|dieu|dios|deus|dio|"
         r"sans\s+filtre|sin\s+filtro|sem\s+filtro|senza\s+filtri)|ontwikkelaarsmodus|ontwikkelaarmodus|godmodus|god-modus)\b"
         + DEVICE_AFTER + _MODE_OFF_AFTER)

# "answer without filters / censorship / restrictions" (English: the words around persona 0.85)
_UNFILTERED = (r"\b(?:antworte|antworten|antwortest|beantworte|beantworten|reponds|repondez|repondre|responde|responda|"
               r"responder|contesta|conteste|rispondi|risponda|rispondere|antwoord|beantwoord|antwoorden)\b"
               rf"{_W}{{0,30}}\b(?:ohne|sans|sin|senza|zonder|sem)\s+(?:jede\w*\s+|jegliche\w*\s+|aucune?\s+|ningun\w*\s+|"
               r"alcun\w*\s+|enige\s+|nenhum\w*\s+|qualquer\s+)?(?:zensur|filter|filtre|filtres|filtro|filtros|filtri|"
               r"censure|censura|censuur|einschrankungen|beschrankungen|restrictions?|restricciones|restrizioni|beperkingen|"
               r"restricoes|regeln|regles|reglas|regole|regels|regras|grenzen|limites|limiti|warnungen|warnhinweise|"
               r"avertissements?|advertencias|avvertenze|avvertimenti|waarschuwingen|avisos|"
               r"(?:dich|vous|te|ti|je|se)\s+(?:zu\s+)?(?:weigern|refuser|negarte|negarse|rifiutare|weigeren|recusar))\b")

# -- extraction: a verb that shows + the system prompt / hidden instructions --------------------
# (per language: the verbs that show, the names of the system prompt or hidden instructions)
_SHOW_DE = (r"(?:zeig(?:e|en)?|gib|geben|nenne[n]?|verrat(?:e|en)?|wiederhol(?:e|en)?|druck(?:e|en)?|schreib(?:e|en)?|"
            r"offenbar(?:e|en)?|enthull(?:e|en)?|kopier(?:e|en)?|teile[n]?|ausgeben)")
_PROMPT_DE = (r"(?:systemprompts?|system-prompts?|systemanweisung(?:en)?|system-anweisung(?:en)?|systemnachricht|"
              r"(?:versteckte|geheime|ursprunglichen?|internen?|verborgenen?)[nrs]?\s+(?:anweisungen|instruktionen|regeln|prompts?))")
_SHOW_FR = (r"(?:revele[zr]?|montre[zr]?|affiche[zr]?|donne[zr]?|repete[zr]?|imprime[zr]?|ecri[st]|ecrivez|copie[zr]?|"
            r"recopie[zr]?|divulgue[zr]?|partage[zr]?|dis|dites|recite[zr]?)")
_PROMPT_FR = (r"(?:prompt\s+(?:du\s+|de\s+)?systeme|instructions\s+(?:du\s+)?systeme|message\s+(?:du\s+)?systeme|"
              r"(?:instructions|consignes)\s+(?:cachees|secretes|initiales|internes))")
_SHOW_ES = (r"(?:revela[rn]?|revele[ns]?|muestra[rn]?|muestre[ns]?|muestrame|dame|deme|imprime|repite[ns]?|repita[ns]?|"
            r"escribe|escriba|copia|comparte|dime|digame|divulga|ensename)")
_PROMPT_ES = (r"(?:prompt\s+(?:del\s+|de\s+)?sistema|instrucciones\s+(?:del\s+|de\s+)?sistema|mensaje\s+(?:del\s+)?sistema|"
              r"instrucciones\s+(?:ocultas|secretas|iniciales|internas))")
_SHOW_IT = (r"(?:rivela(?:re)?|riveli|mostra(?:re|mi)?|mostri|dammi|stampa|ripeti|scrivi|copia|condividi|dimmi|svela)")
_PROMPT_IT = (r"(?:prompt\s+(?:di\s+|del\s+)?sistema|istruzioni\s+(?:di\s+|del\s+)?sistema|messaggio\s+di\s+sistema|"
              r"istruzioni\s+(?:nascoste|segrete|iniziali|interne))")
_SHOW_NL = r"(?:toon|laat|geef|herhaal|print|schrijf|onthul|deel|vertel|kopieer|zet)"
_PROMPT_NL = (r"(?:systeemprompts?|systeeminstructies|systeembericht|"
              r"(?:verborgen|geheime|oorspronkelijke|interne)\s+instructies)")
_SHOW_PT = r"(?:revele|revela|mostre|mostra|imprima|repita|escreva|copie|copia|compartilhe|diga|diz)"
_PROMPT_PT = (r"(?:prompt\s+do\s+sistema|instrucoes\s+do\s+sistema|mensagem\s+do\s+sistema|"
              r"instrucoes\s+(?:ocultas|secretas|iniciais|internas))")


def _extract(show: str, prompt: str) -> str:
    return rf"\b{show}\b{_W}{{0,30}}\b{prompt}\b"


# "repeat the text above this message" (English: extraction 0.8)
_ABOVE = (r"\b(?:wiederhol\w*|gib|zeig\w*|schreib\w*|druck\w*|repete[zr]?|reecri[st]|recopie[zr]?|affiche[zr]?|repite[ns]?|"
          r"repita[ns]?|copia|muestra|ripeti|riscrivi|mostra|herhaal|schrijf|toon|copie|mostre)\b"
          rf"{_W}{{0,25}}\b(?:den\s+text|alles|le\s+texte|tout|el\s+texto|todo|il\s+testo|tutto|de\s+tekst|o\s+texto|tudo)\b"
          rf"{_W}{{0,25}}\b(?:uber\s+(?:dieser|der)|oberhalb|davor|ci-dessus|au-dessus|avant\s+ce|por\s+encima|"
          r"(?:de\s+)?arriba|anterior\s+a\s+este|sopra|prima\s+di\s+questo|hierboven|boven\s+dit|voor\s+dit|acima|antes\s+desta)")

_EARLIER_WORDS = (
    "vorherigen vorherige vorherigem vorigen vorige bisherigen bisherige obigen obige fruheren fruhere vorangegangenen "
    "vorangegangene vorhergehenden vorhergehende ursprunglichen ursprungliche anfanglichen anfangliche alten bestehenden "
    "ersten precedentes precedente precedents anterieures anterieurs dessus initiales initiaux origine originales "
    "originaux systeme recues recus donnees anteriores previas arriba iniciales sistema dieron dado precedenti iniziali "
    "originali originarie prima sopra dato vorige eerdere voorgaande bovenstaande oorspronkelijke vroegere bestaande "
    "oude originele eerste iniciais originais acima deram "
    # (round 15: the instructions had "so far": "reçues jusqu'ici", "ricevute finora", "die je tot nu toe kreeg",
    # "que recebeste até agora")
    "ricevute ricevuti avute finora toe eerder hiervoor recebeste recebeu recebestes recebidas dadas")
_PERSONA_NEGS = "ohne keine frei sans aucune libre sin ninguna senza nessuna libero zonder geen vrij sem nenhuma livre"
_MODE_WORDS = ("entwicklermodus entwickler dan jailbreak gottmodus gott "
               "mode modo modalita ontwikkelaarsmodus ontwikkelaarmodus godmodus god-modus")
#: (family, weight, needs, pattern), the counterparts of `_signals._PATTERNS` in other languages
PATTERNS: tuple[tuple[str, float, str, str], ...] = (
    # (one pattern for the six languages, anchored on their words for "earlier": a pattern costs
    # one search of its anchors' windows, and "ignore", a verb of four of them, is in every
    # English text about ignoring something)
    ("override", 0.95, _EARLIER_WORDS, "|".join((_DE, _FR, _ES, _IT, _NL, _PT))),
    ("override", 0.7, "aufgehoben ungultig nichtig annulees annulee annules nulles caduques anuladas anulados invalidas "
                      "nulas annullate annullati nulle valide vervallen ongeldig nietig geannuleerd canceladas "
                      "revogadas", _VOID),
    ("override", 0.8, "vergiss vergessen oublie oubliez olvida olvide dimentica vergeet esqueca", _FORGET_ALL),
    ("override", 0.8, "appliquent aplican valen rigen cuentan valgono applicano contano gelden valem aplicam contam gelten",
     _NO_LONGER),
    ("override", 0.6, "anweisungen regeln instructions regles consignes instrucciones reglas istruzioni regole "
                      "instructies regels instrucoes regras systemanweisungen systeminstructions", _NEW_RULES),
    ("persona", 0.85, _PERSONA_NEGS, _PERSONA),
    ("persona", 0.85, _MODE_WORDS, _MODE),
    ("persona", 0.85, "conoce conhece conosce connait geen keine", _KNOWS_NO),
    ("persona", 0.75, "zensur filter filtre filtres filtro filtros filtri censure censura censuur einschrankungen "
                      "beschrankungen restrictions restriction restricciones restrizioni beperkingen restricoes "
                      "warnungen warnhinweise "
                      "avertissement avertissements advertencias avvertenze avvertimenti waarschuwingen avisos weigern "
                      "refuser negarte negarse rifiutare weigeren recusar", _UNFILTERED),
    # (anchored on each language's own words for the system prompt, not on English "system" and
    # "prompt", which are in every role prompt; German "System-Prompt" is two words: its verbs
    # anchor it too)
    ("extraction", 0.85, "systemprompt systemprompts systemanweisung systemanweisungen systemnachricht anweisungen "
                         "instruktionen zeig zeige zeigen gib nenne verrate wiederhole kopiere ausgeben systeme "
                         "consignes cachees secretes initiales internes sistema instrucciones",
     "|".join((_extract(_SHOW_DE, _PROMPT_DE), _extract(_SHOW_FR, _PROMPT_FR), _extract(_SHOW_ES, _PROMPT_ES)))),
    ("extraction", 0.85, "sistema istruzioni systeemprompt systeemprompts systeeminstructies systeembericht instructies "
                         "instrucoes",
     "|".join((_extract(_SHOW_IT, _PROMPT_IT), _extract(_SHOW_NL, _PROMPT_NL), _extract(_SHOW_PT, _PROMPT_PT)))),
    ("extraction", 0.8, "uber oberhalb davor ci-dessus dessus avant encima arriba anterior sopra prima hierboven boven voor "
                        "acima antes", _ABOVE),
)
