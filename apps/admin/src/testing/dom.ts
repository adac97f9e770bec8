import type { ComponentFixture } from '@angular/core/testing';

/** Small DOM helpers for component tests: find things the way a user would, then act. */
export function byId<T extends HTMLElement = HTMLElement>(fixture: ComponentFixture<unknown>, id: string): T {
  const element = (fixture.nativeElement as HTMLElement).querySelector<T>(`#${id}`);
  if (!element) {
    throw new Error(`No element with id "${id}"`);
  }
  return element;
}

export function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('blur'));
}

export function buttonNamed(fixture: ComponentFixture<unknown>, name: string | RegExp): HTMLButtonElement {
  const buttons = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('button'));
  const match = buttons.find((button) => (typeof name === 'string' ? button.textContent?.trim() === name : name.test(button.textContent ?? '')));
  if (!match) {
    throw new Error(`No button named ${String(name)}`);
  }
  return match;
}

/** The texts of the elements that describe a field (hints and error messages), via aria-describedby. */
export function descriptionOf(fixture: ComponentFixture<unknown>, input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const root = fixture.nativeElement as HTMLElement;
  return ids
    .map((id) => root.ownerDocument.getElementById(id)?.textContent?.trim() ?? '')
    .filter(Boolean)
    .join(' | ');
}

export function alertText(fixture: ComponentFixture<unknown>): string {
  return Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('[role="alert"]'))
    .map((element) => element.textContent?.trim() ?? '')
    .join(' ');
}
