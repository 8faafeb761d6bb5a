// Tools: work on an input image (background removal, upscaling), priced per run or per output
// megapixel (held for the largest input at the factor asked; the real size is captured).
import type { Modality } from '../types.js';
import { ToolParamsSchema, checkToolParams, type ToolParams } from './params.js';
import { parseToolRequest, toolParams, toolRequestSchema, type ToolTaskInput } from './request.js';
import { ToolOutputSchema, executeTool } from './result.js';
import type { StoredImage } from '../image/result.js';
import { toolExample, toolParameters } from './view.js';

export const toolModality: Modality<ToolTaskInput, { images: StoredImage[] }> = {
  type: 'tool',
  endpoint: '/api/v1/tools/runs',
  summary: 'Run a tool on an image (background removal, upscaling)',
  paramsSchema: ToolParamsSchema,
  checkParams: (params) => checkToolParams(params as ToolParams),
  units: ['run', 'megapixel'],
  outputSchema: ToolOutputSchema,
  requestSchema: toolRequestSchema,
  parse: parseToolRequest,
  operation: () => 'tool',
  quote: (input, model) => ({ quantity: model.price.unit === 'megapixel' ? (toolParams(model).max_input_pixels * (input.scale ?? 1) ** 2) / 1e6 : 1 }),
  parameters: toolParameters,
  example: toolExample,
  describe: (model) => ({ tool: toolParams(model).tool }),
  execute: executeTool,
};
