// The public shape of a model's parameters, in an import-free file so the web app shares it.

export type ModalityType = 'image' | 'video' | 'audio' | 'tool';

/** One parameter as the model page, the playground form and the docs show it. */
export interface ParameterView {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  required: boolean;
  default?: string | number | boolean;
  /** The allowed values, when the parameter is a choice. */
  values?: Array<string | number>;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  /** How the playground renders it: a text area for prompts, an image picker for image URLs. */
  widget?: 'textarea' | 'image';
  description: string;
}
