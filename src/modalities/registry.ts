// Every modality the platform serves: one line each. A new modality is its folder plus a line here.
import { audioModality } from './audio/index.js';
import { imageModality } from './image/index.js';
import { toolModality } from './tool/index.js';
import { videoModality } from './video/index.js';
import type { Modality, ModalityType } from './types.js';

export const MODALITIES: Partial<Record<ModalityType, Modality<any, any>>> = {
  image: imageModality,
  video: videoModality,
  audio: audioModality,
  tool: toolModality,
};

export function modalityOf(type: string): Modality<any, any> | undefined {
  return MODALITIES[type as ModalityType];
}

export const modalityList = (): Modality<any, any>[] => Object.values(MODALITIES);
