/**
 * Frequent function words per language, used as evidence for language detection on short texts where
 * character trigrams are unreliable.
 *
 * Source: written for Parcours by its authors (the most common articles, pronouns, auxiliaries and
 * prepositions of each language).
 */
export const FUNCTION_WORDS: Record<'fr' | 'en' | 'es' | 'de', string> = {
	fr: `le la les l' un une des du de d' et est sont suis es ai as avons avez ont je j' tu il elle nous vous ils elles
	on ne n' pas plus que qu' qui quoi dans pour par sur avec sans ce c' cet cette ces mon ma mes ton ta tes son sa
	ses notre votre vos leur leurs au aux mais ou donc car tres trop bien merci bonjour oui non deja encore toujours
	jamais rien aucun aussi comme fait faire ete avoir etre m' s' t' y en chez vers depuis alors quand comment
	pourquoi ca cela ici la-bas voila tout tous toute toutes apres avant j'ai c'est il y a moi toi lui eux`,
	en: `the a an and is are was were be been being am i you he she it we they me my your his her its our their this
	that these those of to in on at for with from by about as into not no do does did have has had will would can
	could should there here what which who when where why how all any some just so very too also but or if then
	than thank thanks please yes get got im i'm it's don't can't won't didn't your you're my we're they're out up`,
	es: `el la los las un una unos unas y es son estoy esta estan fue de del en con por para que qui no si muy pero
	mas mi mis tu su sus nuestro gracias hola como cuando donde porque este esta estos estas eso lo le les al ya`,
	de: `der die das den dem des ein eine einen einem und ist sind war waren ich du er sie es wir ihr nicht kein keine
	mit von zu auf fur für bei aus nach wie was wer wann wo warum sehr aber oder auch noch schon danke bitte ja nein
	mein meine dein sein ihr unser haben hat hatte wird werden kann konnen nur`
};
