// A new template record with Meta's defaults (no imports of services: the demo world uses it).
import type { MessageTemplateRecord } from '../world/world.types';

export function newTemplate(id: string, nowSeconds: number, template: Partial<MessageTemplateRecord> & { name: string }): MessageTemplateRecord {
  return {
    id,
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    parameterFormat: 'POSITIONAL',
    components: [{ type: 'BODY', text: `Hello {{1}}, this is ${template.name.replace(/_/g, ' ')}.` }],
    qualityScore: 'UNKNOWN',
    qualityDate: nowSeconds,
    rejectedReason: 'NONE',
    ...template,
  };
}
