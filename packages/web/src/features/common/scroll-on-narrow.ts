/** On a narrow screen the detail sits below a long tree: bring it into view after a pick. */
export function scrollIntoViewOnNarrow(element: HTMLElement | null): void {
  if (!element || !window.matchMedia('(max-width: 900px)').matches) return;
  // Wait for the detail to render before scrolling.
  setTimeout(() => element.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
}
