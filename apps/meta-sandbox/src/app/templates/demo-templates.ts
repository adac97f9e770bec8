// Templates of the demo world: approved ones of each category, one rejected, one paused, one
// pending, in two languages, so every filter and every explanation on the Templates page shows.
import type { WorldStore } from '../world/world.store';
import type { WabaRecord } from '../world/world.types';
import { newTemplate } from './template-record';

export function seedDemoTemplates(world: WorldStore, waba: WabaRecord, nowSeconds: number): void {
  const add = (template: Parameters<typeof newTemplate>[2]) => newTemplate(world.nextId('8'), nowSeconds, template);
  waba.messageTemplates = [
    add({
      name: 'order_ready',
      category: 'UTILITY',
      qualityScore: 'GREEN',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Your order is ready' },
        { type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready for pickup at Acme Bakery.' },
        { type: 'FOOTER', text: 'Acme Bakery' },
      ],
    }),
    add({ name: 'order_ready', language: 'es', category: 'UTILITY', qualityScore: 'GREEN', components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está listo.' }] }),
    add({
      name: 'weekend_offer',
      category: 'MARKETING',
      qualityScore: 'YELLOW',
      components: [
        { type: 'BODY', text: 'This weekend only: 20% off every cake, {{1}}!' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'See the cakes', url: 'https://acme.example/cakes' }] },
      ],
    }),
    add({ name: 'login_code', category: 'AUTHENTICATION', components: [{ type: 'BODY', text: '{{1}} is your verification code.' }] }),
    add({ name: 'flash_sale', category: 'MARKETING', status: 'REJECTED', rejectedReason: 'PROMOTIONAL', components: [{ type: 'BODY', text: 'BUY NOW!!! Everything must go {{1}}' }] }),
    add({ name: 'loyalty_reminder', category: 'MARKETING', status: 'PAUSED', qualityScore: 'RED', components: [{ type: 'BODY', text: 'Hi {{1}}, you have {{2}} loyalty points waiting.' }] }),
    add({ name: 'delivery_slot', category: 'UTILITY', status: 'PENDING', components: [{ type: 'BODY', text: 'Your delivery slot is {{1}}.' }] }),
  ];
}
