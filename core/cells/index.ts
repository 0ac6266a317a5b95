// The cell registry: model type name -> cell definition.
import type { CellType } from '../config.js';
import type { CellDefinition } from './cell.js';
import { gruCell } from './gru.js';
import { lstmCell } from './lstm.js';
import { rnnCell } from './rnn.js';

const CELLS: Record<CellType, CellDefinition> = {
  rnn: rnnCell,
  lstm: lstmCell,
  gru: gruCell,
};

export function cellDefinition(cell: CellType): CellDefinition {
  const def = CELLS[cell];
  if (!def) throw new Error(`cell type ${cell} is not implemented`);
  return def;
}
