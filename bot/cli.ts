#!/usr/bin/env node
/** The `luohu` executable: runs the command line in `program.ts`. */
import { main } from './program.js';

await main(process.argv);
