/**
 * Emotion cues (Plutchik's eight basic emotions), French and English.
 *
 * Source: written for Parcours by its authors from everyday vocabulary of feeling in both languages.
 * Format as the sentiment lexicons: `entry weight`, `*` for prefixes.
 */
import type { Emotion } from '../types';

export const EMOTION_CUES: Record<Emotion, string> = {
	joy: `happy 2, happier 2, glad 2, joy 2, joyful 2, delight* 2, love 1.5, loved 1.5, lovely 1.5, enjoy* 1.5, fun 1.5,
	great 1, awesome 1.5, amazing 1.5, wonderful 1.5, fantastic 1.5, excellent 1, yay 2, woohoo 2, hooray 2, thrilled 2,
	excited 1, smile 1.5, laugh* 1.5, haha 1.5, lol 1, best 1, perfect 1, pleased 1.5, cheer* 1, celebrat* 1.5, fun 1.5,
	heureux 2, heureuse 2, content 1.5, contente 1.5, ravi 2, ravie 2, joie 2, bonheur 2, plaisir 1.5, super 1, genial 1.5,
	ador* 1.5, aime 1, rire 1.5, sourire 1.5, mdr 1, chouette 1.5, youpi 2, enchante* 1.5, magnifique 1.5, parfait 1`,
	trust: `trust* 2, reliable 2, rely 1.5, confident 1.5, confidence 1.5, safe 1.5, secure 1, recommend* 1.5, loyal 2,
	honest 1.5, dependable 2, professional 1, competent 1, faithful 1.5, believe 1, sure 0.5, promise* 1, thank* 1,
	appreciate* 1, helpful 1, confiance 2, fiable 2, fiabilite 2, recommand* 1.5, fidele 2, serieux 1.5, honnete 1.5,
	rassur* 1.5, competent* 1, professionnel* 1, securite 1, merci 1, compter sur 1.5, en securite 1.5`,
	surprise: `surpris* 2, wow 2, whoa 2, omg 1.5, unexpected* 2, suddenly 1.5, sudden 1.5, shock* 1.5, unbelievable 1.5,
	incredible 1, amazed 2, astonish* 2, can't believe 2, cant believe 2, out of nowhere 1.5, no warning 1.5,
	etonn* 2, inattendu* 2, soudain* 1.5, incroyable 1.5, choque* 1.5, hallucin* 2, oh la la 1.5, sans prevenir 1.5,
	je n'en reviens pas 2, stupefait* 2, ca alors 1.5`,
	sadness: `sad 2, sadly 1.5, unhappy 1.5, disappoint* 2, depress* 2, heartbroken 2, miss 1, missed 0.5, sorry 0.5, cry* 2,
	tears 2, unfortunately 1, regret* 1.5, lonely 2, lost 0.5, upset 1, miserable 2, hopeless 2, down 0.5, let down 2,
	triste* 2, tristesse 2, decu* 2, decevant* 2, deception 2, malheureu* 2, pleur* 2, dommage 1, helas 1.5,
	regrett* 1.5, chagrin 2, deprim* 2, desole* 0.5, abandonne* 1.5, seul 1`,
	anger: `angry 2, anger 2, mad 2, furious 2.5, rage 2, outrage* 2, pissed 2.5, annoy* 1.5, irritat* 1.5, frustrat* 1.5,
	hate 2, fed up 2, sick of 1.5, unacceptable 1.5, ridiculous 1.5, wtf 2, fuck* 2, damn 1.5, rude 1.5, ignored 1,
	enough 1, seriously 1, how dare 2, insult* 2, pathetic 1.5, incompetent 1.5, scam 1.5, livid 2.5, demand 1,
	colere 2, furieu* 2.5, enerv* 2, agace* 1.5, rage 2, marre 2, ras le bol 2, inadmissible 1.5, inacceptable 1.5,
	scandal* 2, honte 1.5, honteu* 1.5, insupportable 2, merde 1.5, putain 1.5, foutage 2, arnaque 1.5, fache* 2,
	revolt* 2, exaspere* 2, n'importe quoi 1.5, mepris* 1.5, incompetent* 1.5`,
	fear: `afraid 2, scared 2, fear 2, frighten* 2, terrified 2.5, worried 2, worry 1.5, worrying 1.5, anxious 2,
	anxiety 2, nervous 1.5, panic* 2, unsafe 2, danger* 1.5, risk* 1, concern* 1, stressed 1.5, stress* 1.5, scary 2,
	what if 1, hope nothing 1, peur 2, effray* 2, terrifi* 2.5, inquiet* 2, angoiss* 2, anxieu* 2, panique* 2,
	danger* 1.5, risque* 1, crain* 2, stress* 1.5, dangereu* 2, securite 0.5, menace* 1.5`,
	disgust: `disgust* 2.5, gross 2, yuck 2, eww 2, nasty 2, filthy 2, dirty 1.5, smell* 1, stink* 2, vomit* 2,
	revolting 2, repulsive 2, sick 1, sickening 2, horrible 1, awful 1, shameful 1.5, disgrace* 2, vile 2, moldy 2,
	mouldy 2, cockroach* 2, bugs 1, hair 0.5, degout* 2.5, degueu* 2.5, beurk 2, sale 1.5, salete 2, crade 2, puant* 2,
	puer 2, pue 2, odeur 1, ecoeur* 2, repugnant* 2, honteu* 1, immonde 2.5, moisi* 2, cafard* 2, infect 2`,
	anticipation: `can't wait 2.5, cant wait 2.5, looking forward 2.5, excited 1.5, soon 1, hope 1.5, hopefully 1.5,
	expect* 1, waiting for 1, next time 1, upcoming 1.5, plan* 1, planning 1, will 0.3, tomorrow 0.5, future 1,
	finally 0.5, eager 2, ready 1, countdown 2, heading to 1, on my way 1.5, j'ai hate 2.5, hate de 2.5, vivement 2,
	impatien* 2, espere 1.5, esperons 1.5, bientot 1, prochain* 1, prochaine* 1, prevu* 1, demain 0.5, avenir 1,
	attends avec 1.5, en route 1.5`
};
