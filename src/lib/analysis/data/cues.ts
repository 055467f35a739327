/**
 * Grammar cues (negation, intensity, contrast, sarcasm) and intent cues, French and English.
 *
 * Source: written for Parcours by its authors from the grammar of both languages (negation with
 * "ne … pas/plus/jamais/rien", English "n't" contractions, contrastive connectors) and from common
 * ways customers phrase questions, complaints, praise and suggestions. Regular expressions run on
 * lower-cased text with accents removed.
 */

export const NEGATORS = new Set([
	'not', 'no', 'never', 'nor', 'neither', 'without', 'hardly', 'barely', 'nothing', 'none', 'cannot',
	"don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "wouldn't", "can't",
	"couldn't", "shouldn't", "haven't", "hasn't", "hadn't", "ain't", 'dont', 'doesnt', 'didnt', 'isnt',
	'wasnt', 'arent', 'werent', 'wont', 'wouldnt', 'cant', 'couldnt', 'shouldnt', 'havent', 'hasnt', 'hadnt',
	'pas', 'jamais', 'rien', 'aucun', 'aucune', 'sans', 'ni', 'guere', 'nullement', 'point'
]);
/** "plus" negates only after "ne"/"n'". */
export const WEAK_NEGATORS = new Set(['plus']);
export const NE = new Set(['ne', "n'"]);

export const INTENSIFIERS: Record<string, number> = {
	very: 0.35, really: 0.35, so: 0.3, extremely: 0.5, super: 0.35, too: 0.25, totally: 0.35, absolutely: 0.45,
	completely: 0.4, incredibly: 0.45, highly: 0.35, truly: 0.3, such: 0.25, most: 0.25, utterly: 0.5,
	seriously: 0.3, damn: 0.3, freaking: 0.35, fucking: 0.45, beyond: 0.35, especially: 0.2, quite: 0.1,
	tres: 0.35, trop: 0.3, vraiment: 0.35, tellement: 0.4, hyper: 0.4, extremement: 0.5, totalement: 0.35,
	completement: 0.4, absolument: 0.45, si: 0.2, vachement: 0.35, archi: 0.4, ultra: 0.4, franchement: 0.2,
	particulierement: 0.3, carrement: 0.35, grave: 0.25, sacrement: 0.35, profondement: 0.35, plus: 0.1
};

export const DIMINISHERS: Record<string, number> = {
	slightly: 0.5, somewhat: 0.5, kinda: 0.5, 'kind of': 0.5, 'sort of': 0.5, 'a bit': 0.6, 'a little': 0.6,
	fairly: 0.7, rather: 0.7, pretty: 0.85, almost: 0.6, partly: 0.6, mostly: 0.8,
	'un peu': 0.6, assez: 0.75, legerement: 0.5, plutot: 0.8, moyennement: 0.4, relativement: 0.7,
	presque: 0.6, 'pas tres': -0.4, 'pas trop': -0.4, 'not very': -0.4, 'not too': -0.4, 'not that': -0.5,
	peu: -0.5
};

/** Connectors after which the clause counts more (and before which less). */
export const CONTRAST_AFTER = new Set([
	'but', 'however', 'though', 'nevertheless', 'nonetheless', 'mais', 'cependant', 'pourtant',
	'toutefois', 'neanmoins', 'sauf', 'except', 'unfortunately', 'malheureusement'
]);
/** Phrases like "par contre" / "en revanche" that work like "but". */
export const CONTRAST_AFTER_PHRASES = ['par contre', 'en revanche', 'even so', 'that said', 'cela dit', 'ceci dit'];
/** Connectors whose own clause counts less ("although it was late, …"). */
export const CONTRAST_CONCESSIVE = new Set(['although', 'despite', 'malgre', 'whereas', 'quoique', 'bien que']);

/** Explicit sarcasm: the positive words of the sentence are read as negative. */
export const SARCASM_RE =
	/#sarcasm|#sarcasme|(^|\s)\/s\b|\byeah,? right\b|\bthanks? (you )?for nothing\b|\bmerci pour rien\b|\bmerci du cadeau\b|\bjust what i needed\b|\bjust great\b|\boh,? (great|wonderful|perfect|fantastic)\b|\bthanks? (you )?(so much |a lot )?for (ruining|losing|delaying|cancel\w*|making me wait|wasting|breaking|ignoring|the (delay|wait|runaround))\b|\blove (it )?(how|when) (you|your|my|the|they|i)\b.*\b(delay|cancel|lost|wait|hold|stuck|late|broke)|\bbravo (pour|a) (le|la|les|ce|cette) (retard|annulation|attente|bug|panne)|\bmerci (de|pour) (m'avoir|nous avoir|le|la|ce|cette) ?(fait attendre|laisse|retard|annulation|attente|panne)|\bgreat job\b.*\b(delay|cancel|lost|wait|hold|stuck|late)\b|\bclassic\b.*\b(delay|cancel|lost|late)\b/;

export interface IntentCue {
	re: RegExp;
	weight: number;
}

export const QUESTION_CUES: IntentCue[] = [
	{ re: /\?/g, weight: 1 },
	{
		re: /(^|[.!?\n]\s*|@\w+\s+)(how|what|when|where|which|who|whom|whose|is|are|was|were|do|does|did|can|could|will|would|should|may|might|have|has|any|anyone|anybody)\b/g,
		weight: 0.6
	},
	{
		re: /\b(est-ce que|est ce que|comment|pourquoi|quand|combien|quel|quelle|quels|quelles|qui peut|ou (est|sont|puis|trouver)|pouvez-vous|pourriez-vous|puis-je|peut-on|avez-vous|existe-t-il|y a-t-il|serait-il possible)\b/g,
		weight: 0.7
	},
	{
		re: /\b(i would like to know|i'd like to know|i want to know|wondering|wonder if|please (let me know|advise|confirm)|can you (tell|help|confirm|check|let)|could you (tell|help|confirm|check|let)|any (update|news|info|idea)|is there (a|any) way|how (do|can) i|je voudrais savoir|j'aimerais savoir|je souhaiterais savoir|merci de me (dire|confirmer|indiquer)|pouvez-vous me|auriez-vous|je me demande|savez-vous)\b/g,
		weight: 1
	}
];

export const COMPLAINT_CUES: IntentCue[] = [
	{
		re: /\b(why (is|are|do|does|did|won't|wont|can't|cant|isn't|isnt|hasn't|hasnt|haven't|havent|would|was|were|my|the|did|didn't|didnt|should|must|does it|am i)|how come|what happened|what's (up|going on)|whats (up|going on)|what (is|was) going on|no longer|not heard|haven't heard|havent heard|yet to (arrive|receive|hear|be)|hasn't (shipped|been|arrived)|hasnt (shipped|arrived)|out of stock|let(ting)? (me|us) down|power outage|outage|no (power|service|signal|internet|connection|water|electricity)|still trying|never works|doesn't seem to|couldn't be more|what am i paying|really\?|can't log|cant log|unable to|keeps? (crashing|failing|freezing|breaking)|not (able|allowed) to|won't (let|allow|work|load|accept)|wont (let|allow|work|load|accept)|stopped working|unable|offline|(is|are|site|server|servers|app|website|system|service) (is |are )?down|invalid|error|errors|issue|issues|problem|problems|glitch|bug|bugs|not (appearing|showing|displaying|loading|responding|updating|connecting)|(please|pls|plz) help|need (help|assistance)|help ?!+|wrong|removed|died|dead|missing|no (email|broadband|reply|refund)|did not receive|didn't get|didnt get|can't (select|stream|open|use|see|connect|pay|download|sign|cancel|change)|cant (select|stream|open|use|see|connect|pay|download|sign|cancel|change)|won't (get|open|turn|start|connect)|wont (get|open|turn|start|connect)|still (says|showing|shows|charging|waiting|no|not|haven't|havent|hasn't|hasnt|nothing|don't|dont)|never (received|got|arrived|came|answered|called|responded)|haven't (received|heard|got)|havent (received|heard|got)|hasn't (arrived|been)|hasnt (arrived|been)|didn't (receive|get|arrive|work)|didnt (receive|get|arrive|work)|not (received|working|acceptable|happy|impressed|resolved|fixed)|doesn't work|doesnt work|won't let|wont let|can't (get|log|access|find|believe|even|reach|book|check)|cant (get|log|access|find|believe|even|reach|book|check)|no (one|response|answer|reply|help|refund|explanation|update|info\w*|call back|way)|nobody|on hold|hung up|been waiting|keep (getting|telling|saying)|wrong (item|size|order|charge|information|info)|charged (twice|me|for)|double charged|overcharged|want (a|my) (refund|money)|demand|unacceptable|ridiculous|worst|terrible|horrible|awful|disgusting|pathetic|incompetent|rude|fix (this|it)|sort (this|it) out|what (a|the) (joke|mess|hell)|this is (a joke|ridiculous|unacceptable)|fed up|sick of|tired of|complain\w*|lost (my|our|the)|broke|broken|damaged|delayed|cancel\w*|stuck|stranded|missed (my|our|the)|waste of)\b/g,
		weight: 1
	},
	{
		re: /\b(toujours (pas|rien|aucun\w*|en attente|sans)|jamais (recu|eu|arrive)|pas (recu|eu de|de reponse|de nouvelles|normal|acceptable|possible de)|aucune? (reponse|nouvelle|retour|explication|solution)|sans (reponse|nouvelles)|ne (fonctionne|marche) (pas|plus)|n'(arrive|fonctionne|marche) (pas|plus)|j'attends|on m'a raccroche|raccroche au nez|inadmissible|inacceptable|scandaleu\w*|honteu\w*|lamentable|nul(le)?|pire|catastroph\w*|arnaqu\w*|rembourse(z|r|ment)|en panne|casse\w*|abime\w*|endommag\w*|perdu\w*|annule\w*|retard\w*|en retard|bloque\w*|preleve\w* (deux fois|a tort)|facture\w* (deux fois|a tort)|erreur de|je (suis|me sens) (decu|decue|furieu\w*|enerve\w*)|plainte|reclamation|litige|marre|ras le bol|c'est (inadmissible|honteux|une honte|n'importe quoi)|se moque\w*|foutage)\b/g,
		weight: 1
	}
];

export const PRAISE_CUES: IntentCue[] = [
	{
		re: /\b(thank\w*|thx|kudos|bravo|well done|great job|good job|awesome job|amazing job|shout ?out|props to|hats off|love (you|your|this|it|the)|you rock|you guys rock|the best|highly recommend|would recommend|i recommend|keep up|appreciate\w*|made my day|above and beyond|merci|felicit\w*|je recommande|a recommander|au top|rien a redire|tres satisfait\w*|tres content\w*|excellent\w*|parfait\w*|super (service|accueil|equipe|experience)|chapeau|genial\w*)\b/g,
		weight: 1
	}
];

export const SUGGESTION_CUES: IntentCue[] = [
	{
		re: /\b(you should|you could|(could|can|would) you (please )?(add|offer|provide|consider|bring|make|introduce|extend|open|allow|include|install|put)|you guys should|you need to|you ought to|should (have|be|offer|add|provide|make|consider|allow|let|give|put|have)|it would be (nice|great|good|better|helpful|useful)|would be (nice|great|good|better|helpful|useful|awesome)|why not|why don't you|why dont you|how about|what about|i suggest|i'd suggest|i would suggest|suggestion|i recommend (you|that|to)|i would recommend|i'd recommend|recommend (you|that|to|staying|booking|asking|getting|going|the)|please (add|consider|make|bring|offer|provide|allow|let|fix|improve|update)|consider (adding|offering|making|a|the)|make sure|be sure to|don't forget|dont forget|do not forget|remember to|try (the|to|a|and)|ask for|avoid|don't (miss|bother|expect|go|stay|book)|do not (miss|bother|expect|go|stay|book)|worth (a|the|it|visiting|trying)|if you (want|are|need|like|get|have|go|can|plan|book|stay|arrive|don't|do)|you (will|'ll|can|can't|won't|may|might) (want|need|find|have|get|enjoy|love|be)|would (love|like) to see|wish (you|there|they|it)|i hope you (will|add|can)|needs? to be (improved|fixed|changed|better|updated|cleaned|replaced)|could (be|use|do with) (better|improved|more|some)|could use|need (more|better|a)|more (staff|options|choice)|vous devriez|tu devrais|il faudrait|il faut (que|mettre|ajouter|prevoir|revoir|ameliorer)|ce serait (bien|mieux|top|genial|pratique|utile)|ca serait (bien|mieux|top|genial|pratique|utile)|serait-il possible|pourquoi ne pas|pourquoi pas|je suggere|je propose|je vous conseille|je conseille|suggestion|proposition|pensez a|n'hesitez pas a|a eviter|evitez|prevoir|merci de (mettre|ajouter|prevoir|ameliorer|revoir)|pourriez-vous (ajouter|mettre|prevoir|ameliorer)|ameliorer|amelioration|ajouter|j'aimerais que|j'aimerais qu'il|il manque)\b/g,
		weight: 1
	},
	{
		// Imperatives opening a sentence, as tips are written ("Take the tram", "Ask for a room…").
		re: /(^|[.!?\n]\s*|,\s*)(take|ask|book|get|go|bring|try|stay|request|choose|pick|grab|check|visit|walk|use|pay|reserve|insist|call|skip|head|order|plan|allow|look|consider|remember|expect|beware|note|opt|eat|have|keep|spend|make|join|rent|buy|see|tell|demand|stick|insist|prenez|demandez|reservez|allez|evitez|choisissez|pensez|essayez|venez|prevoyez|privilegiez|n'hesitez|comptez|optez|apportez|profitez)\b/g,
		weight: 0.8
	}
];

export const OPINION_CUES: IntentCue[] = [
	{
		re: /\b(i think|i feel|i believe|in my opinion|imo|imho|i find|i found|seems|seemed|overall|honestly|to be honest|tbh|je pense|je trouve|a mon avis|selon moi|il me semble|globalement|dans l'ensemble|franchement|personnellement)\b/g,
		weight: 1
	}
];
