import { contextBridge, ipcRenderer } from 'electron';
import { type ApproverApi, type ApproverState, IPC } from '../shared/contract.js';

const api: ApproverApi = {
  getState: () => ipcRenderer.invoke(IPC.getState),
  onState: (listener) => {
    const handler = (_event: unknown, state: ApproverState) => listener(state);
    ipcRenderer.on(IPC.state, handler);
    return () => {
      ipcRenderer.removeListener(IPC.state, handler);
    };
  },
  resolve: (input) => ipcRenderer.invoke(IPC.resolve, input),
  pair: (input) => ipcRenderer.invoke(IPC.pair, input),
  unpair: (org) => ipcRenderer.invoke(IPC.unpair, org),
};

contextBridge.exposeInMainWorld('proofpane', api);
