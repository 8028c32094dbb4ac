export interface ClosableWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  hide(): void;
}

/**
 * Closing the window hides it: the approver keeps listening in the tray. Only Quit (from the tray
 * menu, or the OS quitting the app) lets the close through.
 */
export function hideOnClose(options: { window: ClosableWindow; isQuitting: () => boolean }): void {
  options.window.on('close', (event) => {
    if (options.isQuitting()) return;
    event.preventDefault();
    options.window.hide();
  });
}
