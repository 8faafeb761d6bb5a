// What the target upstream cannot honour, refused before anything is held or sent: parameters
// only the other dialect takes, images for a model without vision, tools for one without tools.
import type { ModelConfig } from '../../config/catalog-schema.js';
import type { ChatDialect } from '../../providers/chat-types.js';
import { unsupported, invalid } from './read.js';
import { chatParams } from './params.js';
import type { ParsedChat } from './types.js';

const API_NAME = { openai: 'the OpenAI chat API', anthropic: 'the Anthropic Messages API' } as const;

/** Throws a 400 naming the first parameter that one of `dialects` (the model's nodes) cannot honour. */
export function checkTarget(parsed: ParsedChat, model: ModelConfig, dialects: ChatDialect[]): void {
  const params = chatParams(model);
  if (!params.vision && parsed.images.length)
    throw unsupported(parsed.images[0]!, `${model.id} does not take images; send text only or pick a model with vision.`);
  if (!params.tools && parsed.request.tools?.length) throw unsupported('tools', `${model.id} does not take tools.`);
  for (const dialect of new Set(dialects)) {
    if (dialect === 'any') continue;
    const refused = parsed.only.find((o) => o.dialect !== dialect);
    if (refused) throw unsupported(refused.param, `${model.id} is served through ${API_NAME[dialect]}, which cannot honour ${refused.what} ('${refused.param}'). Leave it out or pick another model.`);
    if (dialect === 'anthropic' && parsed.request.messages[0]?.role !== 'user')
      throw invalid('messages', `${model.id} (${API_NAME.anthropic}) needs the conversation to begin with a user message.`);
  }
  if (parsed.request.toolChoice?.type === 'tool' && !parsed.request.tools?.some((t) => t.name === (parsed.request.toolChoice as { name: string }).name))
    throw invalid(parsed.shape === 'openai' ? 'tool_choice.function.name' : 'tool_choice.name', 'tool_choice names a tool that is not among the tools.');
}
