// Placeholder until the projection rows land (shared/projection.ts).
import type postgres from 'postgres';
import type { BatchEffects } from './effects.ts';

export type Tx = postgres.TransactionSql;

export async function writeEffects(_tx: Tx, _projectId: string, _effects: BatchEffects): Promise<void> {}
