// What a prompt asks of the music: mode, energy, lead instrument, drums or not. Words that say
// nothing leave the choice to the seed. English and Chinese words both count.

export type Mode = 'major' | 'minor';
export type Energy = 0 | 1 | 2; // calm, moderate, energetic
export type LeadInstrument = 'piano' | 'pluck' | 'flute' | 'bell' | 'square';

export interface Mood {
  mode?: Mode;
  energy?: Energy;
  lead?: LeadInstrument;
  /** false for words like "ambient", "no drums"; undefined: drums. */
  drums?: boolean;
  /** Lo-fi, jazz, swing: offbeat eighths played late. */
  swing: boolean;
}

const WORDS: { mood: Partial<Mood>; words: string[] }[] = [
  { mood: { mode: 'minor' }, words: ['sad', 'dark', 'melanchol', 'moody', 'night', 'rain', 'lonely', 'somber', 'sombre', 'gloomy', 'tragic', 'mysterious', 'tense', 'horror', 'sorrow', 'grief', 'cold', 'winter', 'nostalg', 'cinematic', 'epic', '悲', '伤', '忧', '暗', '夜', '雨', '孤独', '寂寞', '思念'] },
  { mood: { mode: 'major' }, words: ['happy', 'bright', 'joy', 'cheer', 'sunny', 'uplifting', 'summer', 'love', 'hope', 'fun', 'playful', 'sweet', 'morning', 'spring', 'celebrat', 'wedding', '快乐', '欢', '明亮', '阳光', '开心', '幸福', '温暖', '春'] },
  { mood: { energy: 2 }, words: ['energetic', 'fast', 'upbeat', 'dance', 'party', 'rock', 'edm', 'driving', 'intense', 'action', 'workout', 'run', 'power', 'chase', 'festival', 'club', '激情', '快', '动感', '热血', '舞'] },
  { mood: { energy: 0 }, words: ['calm', 'slow', 'relax', 'chill', 'ambient', 'peace', 'sleep', 'lullaby', 'soft', 'gentle', 'meditat', 'lofi', 'lo-fi', 'dream', 'quiet', 'study', '安静', '舒缓', '慢', '放松', '睡', '冥想', '轻柔'] },
  { mood: { lead: 'piano' }, words: ['piano', 'keys', '钢琴'] },
  { mood: { lead: 'pluck' }, words: ['guitar', 'harp', 'koto', 'guzheng', 'pluck', '吉他', '古筝', '竖琴'] },
  { mood: { lead: 'flute' }, words: ['flute', 'woodwind', 'whistle', 'ocarina', '笛', '箫'] },
  { mood: { lead: 'bell' }, words: ['bell', 'music box', 'chime', 'glocken', 'celesta', 'christmas', '铃', '八音盒'] },
  { mood: { lead: 'square' }, words: ['synth', 'electronic', 'retro', '8-bit', '8bit', 'chiptune', 'game', 'arcade', 'techno', '电子', '游戏'] },
  { mood: { drums: false }, words: ['ambient', 'no drums', 'without drums', 'drumless', 'lullaby', 'meditat', '无鼓'] },
  { mood: { swing: true }, words: ['lofi', 'lo-fi', 'jazz', 'swing', 'hip hop', 'hip-hop', 'hiphop', 'boom bap', '爵士'] },
];

/** Latin words must start a word ("rain" is not in "train"); Chinese ones may be anywhere. */
function hasWord(text: string, word: string): boolean {
  if (!/^[\x20-\x7e]+$/.test(word)) return text.includes(word);
  let at = text.indexOf(word);
  while (at !== -1) {
    if (at === 0 || !/[a-z0-9]/.test(text[at - 1]!)) return true;
    at = text.indexOf(word, at + 1);
  }
  return false;
}

/** The mood a prompt names; mode and energy go to the side with more words. */
export function readMood(prompt: string): Mood {
  const text = prompt.toLowerCase();
  const mood: Mood = { swing: false };
  const votes = { major: 0, minor: 0, calm: 0, energetic: 0 };
  for (const { mood: m, words } of WORDS) {
    const hits = words.filter((w) => hasWord(text, w)).length;
    if (hits === 0) continue;
    if (m.mode === 'major') votes.major += hits;
    else if (m.mode === 'minor') votes.minor += hits;
    else if (m.energy === 2) votes.energetic += hits;
    else if (m.energy === 0) votes.calm += hits;
    else if (m.lead && !mood.lead) mood.lead = m.lead;
    else if (m.drums === false) mood.drums = false;
    else if (m.swing) mood.swing = true;
  }
  if (votes.major !== votes.minor) mood.mode = votes.major > votes.minor ? 'major' : 'minor';
  if (votes.energetic !== votes.calm) mood.energy = votes.energetic > votes.calm ? 2 : 0;
  else if (votes.energetic > 0) mood.energy = 1;
  return mood;
}
