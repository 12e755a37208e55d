import { randomInt } from 'node:crypto';

// Word lists in the spirit of MLflow's generator (short, friendly, lowercase).
const PREDICATES = [
  'able', 'agile', 'amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'cool', 'crisp', 'dapper', 'eager',
  'fast', 'fine', 'gentle', 'glad', 'grand', 'happy', 'honest', 'jolly', 'keen', 'kind', 'lively', 'loud',
  'lucky', 'merry', 'mighty', 'neat', 'nimble', 'noble', 'polite', 'proud', 'quick', 'quiet', 'rare', 'rogue',
  'shy', 'silent', 'smart', 'sunny', 'swift', 'tidy', 'upbeat', 'vast', 'warm', 'wise', 'witty', 'zealous',
];
const NOUNS = [
  'ant', 'bass', 'bat', 'bear', 'bee', 'bird', 'boar', 'calf', 'cat', 'cod', 'colt', 'crab', 'crow', 'deer',
  'doe', 'dove', 'duck', 'eel', 'elk', 'fawn', 'finch', 'fish', 'fox', 'frog', 'goat', 'gull', 'hare', 'hawk',
  'hen', 'horse', 'jay', 'lamb', 'lark', 'lion', 'mole', 'moth', 'mouse', 'newt', 'owl', 'ox', 'panda', 'pig',
  'ram', 'seal', 'shark', 'slug', 'snail', 'squid', 'stag', 'swan', 'toad', 'trout', 'whale', 'wolf', 'wren',
];

function pick(words: readonly string[]): string {
  return words[randomInt(words.length)]!;
}

/**
 * A random run name `predicate-noun-<0..1000>`, at most `maxLength` characters, as MLflow's
 * `_generate_random_name`: up to 10 draws, then truncation.
 */
export function generateRunName(maxLength = 20): string {
  let name = '';
  for (let i = 0; i < 10; i++) {
    name = `${pick(PREDICATES)}-${pick(NOUNS)}-${randomInt(1001)}`;
    if (name.length <= maxLength) return name;
  }
  return name.slice(0, maxLength);
}
