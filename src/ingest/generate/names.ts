import type { Random } from "../../util/random.js";

/** Pronounceable made-up names and titles, so synthetic data reads like (fictional) music. */
const ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p", "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z", ""];
const VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "y"];
const ACCENTED = ["é", "ö", "å", "ü", "í", "ñ"];
const CODAS = ["", "", "n", "r", "s", "l", "m", "x", "th", "ck", "nd", "st"];
const WORDS = [
  "Love", "Night", "Summer", "Heart", "Fire", "Rain", "City", "Dream", "Light", "Shadow", "Ocean", "River", "Gold",
  "Paper", "Glass", "Home", "Wild", "Blue", "Silver", "Electric", "Midnight", "Falling", "Running", "Dancing", "Broken",
  "Sweet", "Lonely", "Golden", "Little", "Last", "Winter", "Stars", "Echo", "Velvet", "Neon", "Static", "Ghost", "Honey",
  "Satellite", "Highway", "Wolves", "Garden", "Thunder", "Orange", "Machine", "Kingdom", "Letters", "Mirror", "Sugar", "Weather",
];

const pick = <T>(rng: Random, list: readonly T[]): T => list[rng.int(list.length)];
const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function word(rng: Random, syllables: number): string {
  let text = "";
  for (let s = 0; s < syllables; s++) {
    text += pick(rng, ONSETS) + (rng.next() < 0.04 ? pick(rng, ACCENTED) : pick(rng, VOWELS));
  }
  return capitalize(text + pick(rng, CODAS));
}

export function artistName(rng: Random): string {
  const roll = rng.next();
  if (roll < 0.35) return `${word(rng, 1 + rng.int(2))} ${word(rng, 2 + rng.int(2))}`; // a person
  if (roll < 0.6) return `The ${pick(rng, WORDS)} ${word(rng, 2)}s`;
  if (roll < 0.8) return word(rng, 2 + rng.int(2));
  if (roll < 0.9) return `${word(rng, 2)} & the ${pick(rng, WORDS)}s`;
  return `DJ ${word(rng, 2)}`;
}

/** A song or album title; some carry commas, quotes or a featured artist to exercise CSV quoting. */
export function title(rng: Random, featuring?: string): string {
  const words = 1 + rng.int(3);
  const parts: string[] = [];
  for (let w = 0; w < words; w++) parts.push(pick(rng, WORDS));
  let text = parts.join(" ");
  const roll = rng.next();
  if (roll < 0.04) text = `${text}, ${pick(rng, WORDS)}`;
  else if (roll < 0.06) text = `"${text}"`;
  else if (roll < 0.1 && featuring) text = `${text} (feat. ${featuring})`;
  else if (roll < 0.13) text = `${text} Pt. ${2 + rng.int(3)}`;
  return text;
}
