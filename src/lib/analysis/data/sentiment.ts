/**
 * Valence lexicons for customer feedback, French and English, on a -4…+4 scale.
 *
 * Source: written for Parcours by its authors from general knowledge of both languages and of
 * customer-service vocabulary (delays, refunds, waiting on hold…); not derived from any other lexicon
 * file. Format: `entry score` separated by commas; an entry may be a phrase (matched on words) and may
 * end with `*` (any word starting with it). Accents and case are ignored at match time.
 */

export const SENTIMENT_EN = `
good 2, great 3, excellent 3.5, amazing 3.5, awesome 3.5, fantastic 3.5, wonderful 3.5, perfect 3, perfectly 2,
love 3, loved 3, loves 3, loving 3, lovely 3, luv 3, nice 2, nicely 2, happy 2.5, happier 2, glad 2, pleased 2,
thank* 2, thx 2, tks 2, ty 1.5, appreciate* 2.5, helpful 2.5, friendly 2.5, kind 2, kindly 1, polite 2, pleasant 2,
smooth 2, smoothly 2, easy 1.5, easily 1, quick 1.5, quickly 1, fast 1, speedy 2, efficient 2, professional 2,
comfortable 2, comfy 2, clean 1, best 3, better 1.5, enjoy* 2, fun 2, cool 1.5, impressed 3, impressive 3,
recommend* 2, satisfied 2, satisfying 2, satisfaction 1.5, superb 3.5, outstanding 3.5, brilliant 3, beautiful 3,
delight* 3, grateful 3, gratitude 3, kudos 3, bravo 3, yay 3, woohoo 3, hooray 3, favorite 2, favourite 2, fav 2,
fave 2, fabulous 3, terrific 3, exceptional 3, seamless 2, reliable 2, courteous 2.5, attentive 2, caring 2,
generous 2, exciting 2, excited 3, congrat* 2.5, stellar 3, sweet 2, safe 1, safely 1, worth 1, win 2, gorgeous 3,
hero 2, heroes 2, legend 2, solved 1.5, resolved 1.5, upgraded 2, welcoming 2, warm 1, patient 1.5, classy 2,
glorious 3, refreshing 2, fine 0.8, decent 1, solid 1, gem 2, joy 3, smile 2, smiles 2, smiling 2, rocks 2,
rock star 3, rockstar 3, on time 1.5, on-time 1.5, made my day 3, well done 3, job well done 3, top notch 3,
first class 2, spot on 2, no problem 1, no problems 1, no issue 1, no issues 1, loyal 1.5, proud 2, wow 1.5,
yes 0.5, finally 0.3, hope 0.5, hopefully 0.5, free 1, freebie 2, bonus 1.5, useful 2, informative 2, responsive 2,
prompt 1.5, promptly 1.5, accommodating 2, fair 1, honest 1.5, trust 1.5, trusted 1.5, success* 2, awesomeness 3,
incredible 2.5, incredibly 1, fixed 1, help 0, helped 2, helping 1, assist* 0.5, smart 1.5, easier 1, faster 1,
winner 2, wins 2, lucky 2, luck 1, cheers 1.5, haha 1.5, hahaha 1.5, lol 1, lmao 1, enjoyable 2, pleasure 2.5,
welcome 1, thrilled 3, ecstatic 3.5, relieved 2, relief 2, calm 1, comfort 1.5, safety 0.5, peace 1.5,
improve* 1, improvement 1.5, upgrade 1, credit 0.5, gift 1.5, blessed 2, kindness 2.5, respect 1.5, sunny 1,

bad 2.5-, badly 2.5-, terrible 3-, terribly 2.5-, horrible 3-, horribly 3-, awful 3-, awfully 2-, worst 3.5-, worse 2.5-,
poor 2-, poorly 2-, hate 3-, hated 3-, hates 3-, hating 3-, suck* 3-, disappoint* 2.5-, frustrat* 2.5-, annoy* 2-,
angry 3-, anger 3-, mad 2.5-, furious 3.5-, upset 2.5-, unhappy 2.5-, sad 2-, sadly 1.5-, rude 3-, rudely 3-,
rudeness 3-, unhelpful 2.5-, useless 3-, pathetic 3-, ridiculous 3-, ridic 3-, unacceptable 3-, incompetent 3-,
incompetence 3-, disgust* 3-, disgrace* 3-, shame 2-, shameful 3-, fail 2-, failed 2-, fails 2-, failing 2-,
failure 2-, fail* 2-, problem 1.5-, problems 1.5-, issue 1-, issues 1-, broken 2-, broke 2-, delay* 2-, late 1.5-,
later 0.3-, cancel* 2-, lost 2-, lose 2-, losing 1.5-, missing 2-, missed 2-, miss 1-, stuck 2.5-, stranded 3-,
wait 1-, waiting 1.5-, waited 1.5-, waits 1-, on hold 2-, rip off 3-, ripoff 3-, rip-off 3-, scam 3-, scammed 3-,
overpriced 2.5-, expensive 1.5-, dirty 2.5-, filthy 3-, uncomfortable 2-, cramped 2-, crap 3-, crappy 3-,
shit* 3-, damn 2-, wtf 3-, hell 2-, stupid 3-, idiot* 3-, worthless 3-, joke 2-, nightmare 3-, mess 2-, messed 2-,
chaos 2-, disaster 3-, fiasco 3-, confused 1.5-, confusing 2-, impossible 2-, slow 2-, slowest 3-, wrong 2-,
error 2-, errors 2-, crash* 2-, bug 1.5-, bugs 1.5-, buggy 2-, glitch* 2-, refuse* 2-, refused 2-, denied 2-,
overcharged 3-, overbooked 2.5-, complain* 2-, lied 3-, liar* 3-, lies 2-, lying 2-, horrendous 3.5-,
atrocious 3.5-, abysmal 3.5-, appalling 3.5-, dreadful 3-, lousy 3-, mediocre 2-, meh 1-, unprofessional 3-,
ignored 2.5-, ignore 2-, ignoring 2.5-, hung up 2.5-, hang up 2-, disrespect* 3-, unreliable 2.5-,
inconvenien* 2-, hassle 2-, tired 1.5-, sick 2-, worried 2-, worry 1.5-, scared 2-, afraid 2-, fear 2-,
outrage* 3-, ruin* 3-, screw* 2.5-, damage* 2-, unfortunately 1.5-, regret* 2-, fuck* 3.5-, fck* 3.5-,
smh 2-, ugh 2-, argh 2-, fml 3-, lame 2-, bs 2-, bullshit 3-, insane 1.5-, crazy 1-, nonexistent 2-, lack 1.5-,
lacking 1.5-, mistake 2-, mistakes 2-, incorrect 2-, mislead* 2.5-, unable 1.5-, shocking 2.5-, shocked 2-,
unbelievable 1.5-, seriously 1-, never again 3-, yet again 1.5-, once again 1-, again and again 2-,
still waiting 2.5-, still no 2-, still not 2-, still haven't 2-, still hasnt 2-, still havent 2-, no one 1.5-,
nobody 1.5-, no response 2.5-, no answer 2-, no reply 2-, no help 2.5-, no way 1-, not happy 2.5-,
not impressed 2.5-, customer disservice 3-, waste 2.5-, wasted 2.5-, wasting 2.5-, annoyed 2.5-, irritat* 2-,
painful 2-, pain 1.5-, hurt 2-, cry* 2-, tears 1.5-, sorry 0.5-, apologize 0.5-, excuse* 1.5-, excuses 2-,
incorrectly 2-, downgrade* 2-, charged 1-, fee 0.5-, fees 1-, hidden fees 2.5-, stolen 3-, steal* 2.5-,
theft 3-, danger* 2-, threat* 2-, crisis 2-, death 2-, dead 2-, die 2-, kill* 2.5-, war 2-, victim* 2-,
toxic 2.5-, pollution 1.5-, destroy* 2.5-, worst ever 4-, useless 3-, bummer 2-, boo 1.5-, sucks 3-,
terrible service 3.5-, bad service 3-, poor service 3-, never received 2.5-, didn't receive 2-, didnt receive 2-,
not received 2-, not working 2-, doesn't work 2-, doesnt work 2-, don't work 2-, not work 1.5-, won't let 2-,
can't get 1.5-, cant get 1.5-, can't even 2-, cant even 2-, wont 0.3-, hours 0.8-, hrs 0.8-, hour 0.5-, hr 0.5-,
days 0.3-, why 0.8-, what happened 1.5-, what's going on 1.5-, whats going on 1.5-, come on 1.5-,
are you kidding 2.5-, kidding me 2.5-, you kidding 2.5-, embarrass* 2.5-, poorest 3-, blame* 1.5-, fault 1.5-,
tragic 3-, unsafe 3-, weird 1-, strange 1-, odd 0.5-, unhappy 2.5-, rebook* 0.8-, misconnect* 2-,
diverted 1.5-, unanswered 2-, unresolved 2-, unreachable 2.5-, disconnected 2-, dropped 1.5-, sitting 0.5-,
sat 0.5-, tarmac 1-, stuck on 2.5-, nothing 1-, anymore 1-, disappointment 2.5-, miserable 3-, inferior 2-,
hostile 3-, arrogant 3-, unfriendly 2.5-, careless 2.5-, clueless 2.5-, neglect* 2.5-, outdated 1.5-,
broken down 2-, breaks 1.5-, freezing 1.5-, cold 0.5-, hot 0.3-, noisy 1.5-, smelly 2.5-, stinks 3-, stink* 2.5-,
infuriat* 3-, understaff* 2-, overwhelm* 1.5-, bummed 2-, miscommunicat* 2-, anxious 1.5-, hangs up 2.5-,
hanging up 2.5-, what gives 2-, get it together 2.5-, figure it out 1.5-, unusable 2.5-, no information 2-,
no info 2-, no warning 1.5-, no communication 2-, haven't moved 2-, havent moved 2-, hasn't moved 2-,
hasn't departed 1.5-, won't tell 2-, wont tell 2-, paid for 1-, why can't 2-, why cant 2-, why didn't 2-,
why weren't 2-, why wasn't 2-, why won't 2-, why don't 1.5-, how come 1.5-, what happened to 2-, letting me down 2.5-,
let me down 2.5-, let down 2.5-, no longer 1-, outage 2-, outages 2-, power cut 2-, uncooperative 2.5-,
horrified 3-, ashamed 2.5-, consequences 1-, suffered 2.5-, suffer 2-, attitude 1.5-, joke 2-, what a joke 3-,
expired 1.5-, cracked 1.5-, recalled 1.5-, hike 1.5-, price hike 2-, not heard back 2-, haven't heard 2-,
havent heard 2-, yet to 1-, constantly 0.5-, always 0.3-, never works 2.5-, doesn't work 2-, forever 0.5-,
saved 1.5, save 0.5, rescued 2, wonderfully 3, awarded 2, award 1, winners 2, champion* 2, partnership 1,
innovation 1.5, innovative 2, breakthrough 2, launch* 0.5, boost* 1, growth 1, milestone 2, celebrate* 2,
recover* 1, protect* 1, preserv* 1.5, sustainable 1, renewable 1, clean energy 1.5, warming 1-, extinction 2.5-,
drought 2-, flood* 2-, wildfire* 2.5-, disaster* 3-, contamina* 2.5-, poaching 2.5-, massacre 3-, collapse* 2.5-,
decline* 1.5-, shortage* 2-, scandal* 3-, corrupt* 3-, accused 2-, condemn* 2-, protest* 1-,
no avail 2-, bankrupt* 2.5-, irresponsib* 3-, unnerving 2-, subpar 2.5-, sub-par 2.5-, stagnant 1.5-, doubt 1-,
weak 2-, rethink* 1.5-, by no means 1.5-, unprofessionalism 3-, inept 3-, shoddy 3-, sloppy 2.5-
`;

export const SENTIMENT_FR = `
bien 1.2, bon 1.5, bonne 1.5, bons 1.5, bonnes 1.5, super 2.5, genial 3, geniale 3, excellent* 3, parfait* 3,
top 2, au top 3, merci 2, remercie* 2, magnifique 3, formidable 3, extraordinaire 3, agreable* 2, sympa 2,
sympathique 2, aimable* 2, gentil* 2, courtois* 2, professionnel* 2, efficace* 2, rapide 1.5, rapidement 1.5,
simple 1, simplement 0.3, facile* 1.5, pratique 1, satisfait* 2, satisfaisant 1.5, satisfaction 2, content* 2,
heureux 3, heureuse 3, ravi 3, ravie 3, ravis 3, enchante* 2, recommand* 2, ador* 3, aime 2, aimé 2, aimee 2,
j'aime 2, apprecie* 2, appreciable 2, chaleureu* 2, accueillant* 2, competent* 2, serviable* 2, reactif* 2,
reactivite 2, impeccable* 3, nickel 2.5, bravo 3, felicit* 3, confortable* 2, propre 1, propres 1, fiable* 2,
mieux 1, meilleur 2, meilleure 2, meilleurs 2, meilleures 2, merveille* 3, sublime 3, chouette 2, bonheur 3,
plaisir 2.5, joie 3, sourire 2, souriant* 2, bienveillan* 2, rassur* 1.5, resolu* 1.5, a l'ecoute 2,
sans souci 2, sans soucis 2, sans probleme 2, rien a dire 2, rien a redire 2.5, pas mal 1.5, tres bien 2.5,
parfaitement 2.5, fluide 1.5, soigne* 1.5, qualite 1, conseille 1, conseils 1, attentionne* 2, attentif* 2,
patient* 1, reussi* 2, succes 2, victoire 2, espoir 2, progres 1.5, bonne nouvelle 2.5, innovant* 2, solution 1,
solutions 1, protege* 1, soutien 1, soutenir 1, gagne* 1.5, gratuit* 1, cadeau* 1.5, genialissime 3.5,
cool 1.5, trop bien 3, vraiment bien 2.5, a recommander 2.5, je recommande 3, fidele* 1.5, confiance 1.5,
beau 2, belle 2, beaux 2, belles 2, jolie 2, joli 2, delicieu* 3, incroyable 2, top du top 3.5, ponctuel* 2,
a l'heure 1.5, dans les temps 1.5, en avance 1, bien recu 1.5, rembourse 0.5, enfin 0.3, espere 0.5, esperons 0.5,
felicitations 3, encourag* 1.5, interessant* 1.5, utile* 2, ideal* 2, excellemment 3, agreablement 2,
amical* 2, dispo 0.5, disponible* 1, rapidite 2, haha 1.5, mdr 1, lol 1, fier 2, fiere 2, gentillesse 2.5,
souplesse 1.5, sourires 2, courtoisie 2, amabilite 2.5, professionnalisme 2.5, serieux 1.5, serieuse 1.5,

mal 2-, mauvais 3-, mauvaise 3-, mauvaises 3-, nul 3-, nulle 3-, nuls 3-, nulles 3-, horrible* 3-, affreu* 3-,
catastroph* 3-, decu 2.5-, decue 2.5-, decus 2.5-, decues 2.5-, decevant* 2.5-, deception 2.5-, decevoir 2-,
inadmissible 3-, inacceptable 3-, scandal* 3-, honte 3-, honteu* 3-, lamentable* 3-, pire 3-, mediocre* 2-,
lent 1.5-, lente 1.5-, lents 1.5-, lenteur* 2-, retard* 2-, annul* 2-, perdu* 2-, perte* 2-, casse 2-, cassee 2-,
casses 2-, abime* 2-, endommag* 2-, panne* 2-, bug* 1.5-, beug* 1.5-, plante 1.5-, erreur* 2-, probleme* 1.5-,
souci 1-, soucis 1-, incompeten* 3-, impoli* 3-, desagreable* 2.5-, irrespectu* 3-, meprisant* 3-, mepris 3-,
agressi* 2.5-, arnaqu* 3-, voleur* 3-, voleuse* 3-, escroc* 3-, escroquer* 3-, cher 1-, chere 1-, chers 1-,
trop cher 2.5-, trop chere 2.5-, hors de prix 2.5-, galere* 2.5-, attente 1.5-, attendre 1-, attends 1.5-,
j'attends toujours 2.5-, toujours pas 2-, toujours rien 2.5-, toujours aucun* 2-, jamais plus 3-,
plus jamais 3-, inutile* 2.5-, injoignable* 3-, inexistant* 2.5-, enerv* 2.5-, furieu* 3.5-, colere 3-,
fache* 2.5-, mecontent* 2.5-, insatisf* 2.5-, triste* 2-, tristesse 2-, dommage 1.5-, malheureusement 1.5-,
helas 1.5-, penible* 2-, fatigu* 1.5-, marre 3-, ras le bol 3-, degout* 3-, degueu* 3-, sale 2-, sales 2-,
salete 2.5-, merde* 3-, putain 2-, chiant* 2.5-, bordel 2-, foutage 3-, se moquer 2.5-, se moque 2.5-,
moquez 2.5-, ridicule* 3-, pitoyable* 3-, minable* 3-, execrable* 3.5-, deplorable* 3-, regrett* 2-,
plainte* 2-, reclamation* 1-, litige* 2-, bloque* 2-, coince* 2-, oublie 1.5-, oubli 1.5-, ignore 2-,
ignores 2-, ignoree 2-, raccroch* 2.5-, refus* 2-, incapable* 2.5-, impossible* 2-, complique* 2-,
difficile* 1.5-, inquiet* 2-, inquiete* 2-, peur 2-, stress* 2-, aucune reponse 2.5-, sans reponse 2.5-,
pas de reponse 2.5-, pas de nouvelles 2-, aucune nouvelle 2-, toujours en attente 2.5-, danger* 2-,
menace* 2-, crise* 2-, mort 2-, morts 2-, mourir 2-, tuer 3-, tue 2-, guerre* 2-, victime* 2-, grave 2-,
graves 2-, destruction 2.5-, detrui* 2.5-, risque* 1-, toxique* 2.5-, pollu* 1.5-, abus* 2.5-, abusif* 2.5-,
injuste* 2.5-, injustice 2.5-, faillite 2.5-, echec* 2.5-, echou* 2.5-, rate 1.5-, ratee 1.5-, manque* 1.5-,
manquant* 2-, defectu* 2.5-, defaut* 1.5-, casse-tete 2-, trompe* 2-, mensonge* 3-, menteur* 3-, mensong* 3-,
insupportable* 3-, lamentablement 3-, desastre* 3-, desastreu* 3-, epouvantable* 3.5-, odieu* 3.5-,
grossier* 3-, malpoli* 3-, incomprehensible* 2-, incompetence 3-, deplaisant* 2-, decevante 2.5-,
abandonne* 2-, laisse tomber 2-, sans nouvelles 2-, perdre 1.5-, gaspill* 2-, vol annule 2.5-,
heures 0.8-, heure 0.4-, jours 0.3-, pourquoi 0.8-, bref 0.5-, serieusement 1-, franchement 0.5-,
c'est quoi ce 2-, n'importe quoi 3-, de pire en pire 3.5-, foutent 2.5-, fout 2-, galerer 2.5-,
inconfortable* 2-, bruyant* 1.5-, froid 0.5-, crade* 3-, puant* 3-, odeur 1-, sanction* 1.5-, interdi* 1-,
contre 0.3-, polemique* 1.5-, honteusement 3-, triste realite 2.5-, malade* 2-, souffr* 2.5-,
douleur* 2-, inquietude* 2-, alerte 1.5-, urgence 1-, facture salee 2.5-, rien 0.5-, personne 0.5-,
sauve 2, sauvee 2, sauver 1.5, sauvetage 1.5, remporte* 2, renforce* 1, s'engage* 1, engagement 1, laureat* 2,
champion* 2, partenariat* 1, exemplaire* 2, enthousias* 2, innovation* 1.5, preserv* 1.5, solidair* 1.5, solidarite 1.5,
lance 0.5, lancent 0.5, lancement 1, record 1, surprenant* 1, reussir 2, reussite* 2, favorise* 0.8, grace a 1, prime* 1,
soutien* 1, soutenu* 1, economis* 1, economie d'energie 1.5, energie propre 1.5, renouvelable* 1, durable 0.5, recycl* 1,
protection 1, protege 1, bio 0.5, vert 0.3, verte 0.3, champions 2, prix nobel 2, distingue* 1.5, recompense* 2, gagnant* 2,
progresse* 1.5, ameliore* 1.5, amelioration* 1.5, hausse 0.3, croissance 1, emploi* 0.5, reduire 0.3, reduction 0.3,
rechauffement 1.5-, envahi* 1.5-, emission* 0.5-, pesticide* 1.5-, dechet* 1-, maree noire 3-, disparition* 2-,
extinction 2.5-, secheresse* 2-, inondation* 2-, incendie* 2-, braconn* 2.5-, massacre* 3-, fuite* 1-, contamin* 2.5-,
radioacti* 1.5-, recul* 1-, sacrifi* 1.5-, puniti* 1.5-, fermeture* 1-, suppression* 1-, denonce* 1.5-, condamn* 2-,
accus* 1.5-, critique* 1-, chute* 1.5-, baisse* 0.5-, polluant* 2-, nocif* 2.5-, deforestation 2.5-, braconnage 2.5-,
effondr* 2.5-, penurie* 2-, menacee* 2-, menaces 2-, alarmant* 2.5-, inquietant* 2.5-, degat* 2-, ravage* 2.5-,
tue 0, tuent 3-, abattu* 2-, polemique 1.5-, scandaleuse* 3-, gaspillage 2-, tension* 1-, conflit* 2-, manifest* 0.5-,
assassin* 3-, invasi* 1.5-, farce 2-, peril 2.5-, faute de 1-, doute 1-, acidification 1.5-, indecen* 2.5-, gachis 2.5-,
rejette* 1.5-, ferme ta gueule 3-, gueule 2-, disparai* 2-, disparu* 2-, fin du monde 2.5-, supprim* 1-, abattre 2-,
tempete* 1.5-, vigilance rouge 2-, intemperie* 1.5-, plaint 1.5-, plaindre 1.5-, deconseill* 1.5-, endormi* 1-,
lasse 1.5-, lassee 1.5-, violence* 2.5-, violent* 2.5-, taxer 0.5-, hausse 0, favorable* 1.5, prometteu* 2,
promouvoir 1, promotion 0.5, investir 1, investi* 0.5, innov* 1.5, capable* 1, vive 2, vaut le coup 2, applaudi* 2,
feu vert 1.5, debloque* 1, au service 1, a l'honneur 2, richesse* 1.5, unique 1, beaute 2, amour 2.5, juste 0.5,
avancer 1, avance 0.5, efficacite 1, accorde* 1, bienvenue 2, paix 2, aider 1, aide 0.5, opportunit* 1.5, benefi* 1.5,
prometteur 2, ambitieu* 1.5, positi* 1.5, negati* 1.5-, espoir* 2, fier* 2, merveill* 3, passionn* 2, epanoui* 2
`;

/**
 * Parts of compound hashtags ("#worstflightever", "#notahappytraveler"), longest first; a hashtag
 * starting with "not"/"no"/"pas" flips the part it contains.
 */
export const HASHTAG_PARTS: Array<[string, number]> = [
	['disappoint', -2.5], ['unhappy', -2.5], ['terrible', -3], ['horrible', -3], ['ridicul', -3], ['useless', -3],
	['nightmare', -3], ['awesome', 3], ['amazing', 3], ['bravo', 3], ['genial', 3], ['thanks', 2], ['thank', 2],
	['merci', 2], ['worst', -3], ['awful', -3], ['sucks', -3], ['angry', -3], ['ripoff', -3], ['honte', -3],
	['never', -1.5], ['happy', 2.5], ['great', 2.5], ['love', 2.5], ['best', 2.5], ['fail', -2], ['hate', -3],
	['poor', -2], ['suck', -3], ['fml', -3], ['bad', -2], ['nul', -2.5], ['weak', -2], ['shame', -2.5]
];

/** Words that look alike across French and English but mean different things: no cross-language lookup. */
export const FALSE_FRIENDS = new Set([
	'sale',
	'sales',
	'pain',
	'rage',
	'mal',
	'fin',
	'personne',
	'rien',
	'hope',
	'sure',
	'grave',
	'rate',
	'tue',
	'plante',
	'attends',
	'top',
	'contre',
	'chair',
	'coin',
	'bon',
	'bien'
]);

/** Emojis and emoticons with their valence. */
export const EMOJI_VALENCE: Record<string, number> = {
	'😀': 2.5, '😃': 2.5, '😄': 2.5, '😁': 2.5, '😆': 2, '😊': 2.5, '🙂': 1.5, '😍': 3, '🥰': 3, '😘': 2.5,
	'😋': 2, '😎': 2, '🤩': 3, '☺': 2, '❤': 3, '♥': 3, '💕': 3, '💖': 3, '💗': 3, '💙': 2.5, '💜': 2.5, '💚': 2.5,
	'💛': 2.5, '🧡': 2.5, '😻': 3, '👍': 2, '👌': 2, '👏': 2.5, '🙌': 2.5, '🎉': 2.5, '🥳': 3, '✨': 1.5, '🌟': 2,
	'⭐': 1.5, '💯': 2, '🙏': 1.5, '😂': 1, '🤣': 1, '😉': 1, '😅': 0.5, '💪': 1.5, '🏆': 2, '🤗': 2.5, '✅': 1,
	'😠': -3, '😡': -3.5, '🤬': -4, '😤': -2.5, '😞': -2.5, '😔': -2, '😟': -2, '😕': -1.5, '🙁': -2, '☹': -2.5,
	'😢': -2.5, '😭': -2.5, '😩': -2.5, '😫': -2.5, '🤦': -2.5, '🙄': -2, '😒': -2, '👎': -3, '💩': -3, '😱': -2,
	'😨': -2, '😰': -2, '😥': -2, '🤮': -3.5, '🤢': -3, '😑': -1, '😐': -0.5, '💔': -3, '😖': -2.5, '😣': -2,
	'😬': -1, '😓': -1.5, '🤯': -1.5, '❌': -1.5, '⚠': -1, '😪': -1.5, '😴': -1, '🥵': -1.5, '🥶': -1.5,
	':)': 2, ':-)': 2, '=)': 2, ':]': 2, ':d': 2.5, ':-d': 2.5, ';)': 1, ';-)': 1, ':p': 1, ':-p': 1, '<3': 3,
	'(:': 2, ':(': -2, ':-(': -2, ':[': -2, "):": -2, ":'(": -2.5, '>:(': -3, ':/': -1, ':-/': -1, ':|': -0.5
};

/** Parses a lexicon string: "word 2, other 1.5-" (a trailing minus makes the value negative). */
export function parseLexicon(src: string): Array<[string, number]> {
	const out: Array<[string, number]> = [];
	for (const raw of src.split(/[,\n]/)) {
		const entry = raw.trim();
		if (!entry) continue;
		const m = /^(.+?)\s+(\d+(?:\.\d+)?)(-?)$/.exec(entry);
		if (!m) throw new Error(`bad lexicon entry: ${entry}`);
		out.push([m[1], Number(m[2]) * (m[3] ? -1 : 1)]);
	}
	return out;
}
