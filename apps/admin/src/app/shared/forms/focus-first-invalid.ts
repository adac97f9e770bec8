/** After a rejected submit, put the keyboard where the first problem is. */
export function focusFirstInvalidField(container: HTMLElement): void {
  const field = container.querySelector<HTMLElement>('input.ng-invalid, textarea.ng-invalid, select.ng-invalid');
  field?.focus();
}
