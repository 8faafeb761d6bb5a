// An answer as it arrives: text, tool calls, why it ended and the usage the upstream reported.
// What the non-streamed responses are built from, and what is counted when no usage arrives.
import type { ChatEvent, ChatFinishReason, ChatToolCall, ChatUsage } from '../../providers/chat-types.js';

export class ChatAnswer {
  text = '';
  readonly toolCalls: ChatToolCall[] = [];
  finish?: ChatFinishReason;
  stopSequence?: string | null;
  /** The latest usage the upstream reported, and whether it was its final word. */
  usage?: ChatUsage;
  usageFinal = false;
  /** Whether any text or tool call arrived. */
  generated = false;

  add(e: ChatEvent): void {
    switch (e.type) {
      case 'text':
        this.text += e.text;
        this.generated = true;
        break;
      case 'tool_call':
        this.toolCalls[e.index] = { id: e.id, name: e.name, arguments: '' };
        this.generated = true;
        break;
      case 'tool_arguments': {
        const call = this.toolCalls[e.index];
        if (call) call.arguments += e.json;
        break;
      }
      case 'usage':
        this.usage = e.usage;
        this.usageFinal = e.final;
        break;
      case 'finish':
        this.finish = e.reason;
        this.stopSequence = e.stopSequence;
        break;
    }
  }

  /** Everything the model wrote, for counting with a tokenizer. */
  generatedText(): string {
    return [this.text, ...this.toolCalls.filter(Boolean).map((c) => `${c.name}${c.arguments}`)].join('');
  }
}

export const isContent = (e: ChatEvent) => e.type === 'text' || e.type === 'tool_call' || e.type === 'tool_arguments';
