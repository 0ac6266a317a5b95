// The training pool's thread entry when running from source (tsx); a bundle starts itself as the entry
// and calls runShardLoop from its own top level (see main/cli/index.ts and main/worker/index.ts).
import { runShardLoop } from './shard-loop.js';

runShardLoop();
