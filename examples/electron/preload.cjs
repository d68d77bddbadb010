// The page's only way to the main process: start, cancel, and the run's events.
const { contextBridge, ipcRenderer } = require('electron');

contextBridge.exposeInMainWorld('trainer', {
  start: () => ipcRenderer.invoke('start'),
  cancel: () => ipcRenderer.invoke('cancel'),
  on: (event, listener) => ipcRenderer.on(event, (_e, value) => listener(value)),
});
