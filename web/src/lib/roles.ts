import { session } from './session.svelte';

/** Whether the signed-in member may change org settings (the server enforces it too). */
export const isAdmin = () => session.current?.role === 'admin' || session.current?.role === 'owner';
