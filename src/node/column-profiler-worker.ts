/** Worker-thread side of src/node/column-profiler.ts. */
import { parentPort } from 'node:worker_threads';
import { answerProfileRequest, type ProfileRequest } from '../core/data/profile-helper-protocol.ts';

const port = parentPort!;
port.on('message', (request: ProfileRequest) => port.postMessage(answerProfileRequest(request)));
