import type { Component } from 'svelte';
import type { Definition } from './definition';

/** What the editor hands the AI Builder panel: the current graph, and where its proposals go. */
export interface AiBuilderPanelProps {
  definition: Definition;
  /** A proposal to show as a diff on the canvas, or `null` to clear it. */
  onpreview: (next: Definition | null) => void;
  /** The accepted proposal: it replaces the graph as an unsaved change. */
  onaccept: (next: Definition) => void;
}

// Mounted when its file is in the build; the editor keeps its place in the layout either way.
const found = import.meta.glob<{ default: Component<AiBuilderPanelProps> }>(
  '../ai-builder/ai-builder-panel.svelte',
  {
    eager: true,
  },
);

export const AiBuilderPanel: Component<AiBuilderPanelProps> | null = Object.values(found)[0]?.default ?? null;
