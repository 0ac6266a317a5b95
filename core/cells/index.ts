// The cell registry: model type name -> cell definition.
import type { CellType } from '../config.js';
import type { CellDefinition } from './cell.js';
import { rnnCell } from './rnn.js';

const CELLS: Partial<Record<CellType, CellDefinition>> = {
  rnn: rnnCell,
};

export function cellDefinition(cell: CellType): CellDefinition {
  const def = CELLS[cell];
  if (!def) throw new Error(`cell type ${cell} is not implemented`);
  return def;
}
