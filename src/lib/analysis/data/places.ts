/**
 * City names the module recognises without workspace configuration.
 *
 * Source: a hand-made list of French cities (the largest by population) and of large cities and hub
 * airports' cities elsewhere, written for Parcours by its authors from general knowledge.
 */
export const CITIES: readonly string[] = [
	// France
	'Paris', 'Marseille', 'Lyon', 'Toulouse', 'Nice', 'Nantes', 'Montpellier', 'Strasbourg', 'Bordeaux', 'Lille',
	'Rennes', 'Reims', 'Toulon', 'Saint-Étienne', 'Le Havre', 'Grenoble', 'Dijon', 'Angers', 'Nîmes', 'Villeurbanne',
	'Clermont-Ferrand', 'Le Mans', 'Aix-en-Provence', 'Brest', 'Tours', 'Amiens', 'Limoges', 'Annecy', 'Perpignan',
	'Boulogne-Billancourt', 'Metz', 'Besançon', 'Orléans', 'Rouen', 'Mulhouse', 'Caen', 'Nancy', 'Argenteuil',
	'Montreuil', 'Saint-Denis', 'Roubaix', 'Tourcoing', 'Avignon', 'Poitiers', 'Versailles', 'Pau', 'La Rochelle',
	'Calais', 'Cannes', 'Antibes', 'Ajaccio', 'Bastia', 'Biarritz', 'Bayonne', 'Lorient', 'Quimper', 'Vannes',
	'Saint-Malo', 'Chambéry', 'Valence', 'Troyes', 'Colmar', 'Dunkerque', 'Béziers', 'Nanterre', 'Créteil',
	'Roissy', 'Orly', 'Marne-la-Vallée', 'Lourdes', 'Chamonix',
	// Francophone
	'Bruxelles', 'Brussels', 'Genève', 'Geneva', 'Lausanne', 'Luxembourg', 'Montréal', 'Montreal', 'Québec',
	'Quebec', 'Dakar', 'Abidjan', 'Casablanca', 'Rabat', 'Marrakech', 'Tunis', 'Alger', 'Algiers',
	// Europe
	'London', 'Londres', 'Manchester', 'Birmingham', 'Edinburgh', 'Glasgow', 'Dublin', 'Madrid', 'Barcelona',
	'Barcelone', 'Lisbon', 'Lisbonne', 'Porto', 'Rome', 'Milan', 'Naples', 'Venice', 'Venise', 'Florence',
	'Berlin', 'Munich', 'Frankfurt', 'Francfort', 'Hamburg', 'Amsterdam', 'Rotterdam', 'Vienna', 'Vienne',
	'Zurich', 'Prague', 'Budapest', 'Warsaw', 'Varsovie', 'Copenhagen', 'Stockholm', 'Oslo', 'Helsinki',
	'Athens', 'Athènes', 'Istanbul', 'Moscow', 'Moscou',
	// Americas
	'New York', 'NYC', 'Los Angeles', 'LA', 'Chicago', 'Houston', 'Dallas', 'Denver', 'Boston', 'Washington',
	'DC', 'Atlanta', 'Miami', 'Orlando', 'Tampa', 'Fort Lauderdale', 'San Francisco', 'SF', 'San Diego',
	'San Jose', 'Seattle', 'Portland', 'Phoenix', 'Las Vegas', 'Vegas', 'Salt Lake City', 'Austin',
	'San Antonio', 'Nashville', 'New Orleans', 'Philadelphia', 'Philly', 'Pittsburgh', 'Detroit',
	'Minneapolis', 'St. Louis', 'Kansas City', 'Charlotte', 'Raleigh', 'Baltimore', 'Newark', 'Cleveland',
	'Columbus', 'Indianapolis', 'Milwaukee', 'Cincinnati', 'Sacramento', 'Oakland', 'Honolulu', 'Anchorage',
	'Albuquerque', 'Tucson', 'Jacksonville', 'Richmond', 'Buffalo', 'Hartford', 'Providence', 'Burlington',
	'Toronto', 'Vancouver', 'Calgary', 'Ottawa', 'Mexico City', 'Mexico', 'Cancun', 'Cancún', 'Havana',
	'Bogota', 'Bogotá', 'Lima', 'Santiago', 'Buenos Aires', 'São Paulo', 'Sao Paulo', 'Rio de Janeiro',
	// Elsewhere
	'Dubai', 'Doha', 'Abu Dhabi', 'Tel Aviv', 'Cairo', 'Le Caire', 'Johannesburg', 'Cape Town', 'Nairobi',
	'Lagos', 'Mumbai', 'Delhi', 'New Delhi', 'Bangalore', 'Singapore', 'Singapour', 'Hong Kong', 'Tokyo',
	'Osaka', 'Seoul', 'Séoul', 'Beijing', 'Pékin', 'Shanghai', 'Bangkok', 'Sydney', 'Melbourne', 'Auckland'
];
