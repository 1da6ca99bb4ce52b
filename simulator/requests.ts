// Control requests on an open connection (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS,
// SET_PROPERTY, GET_PROPERTY): parsed by control.ts, applied here to the session and registry.
import {
  METHOD_GET_PROPERTY,
  METHOD_LIST_SUBSCRIPTIONS,
  METHOD_SET_PROPERTY,
  METHOD_SUBSCRIBE,
  errorResponse,
  parseControlRequest,
  resultResponse,
} from './control.js';
import type { StreamEntry, StreamRegistry } from './registry.js';
import type { ConnectionLimits, Session } from './session.js';

/** Applies one request text and sends the response (or the error object) to the session. */
export function handleControlRequest(session: Session, text: string, registry: StreamRegistry, limits: ConnectionLimits): void {
  const connection = session.connection;
  // A request that arrives while the connection is closing gets no answer: it can carry none.
  if (!connection.isOpen) return;
  const parsed = parseControlRequest(text);
  if (!parsed.ok) {
    connection.sendText(parsed.response);
    return;
  }
  const request = parsed.request;
  switch (request.method) {
    case METHOD_LIST_SUBSCRIPTIONS:
      connection.sendText(resultResponse([...session.streams], request.id));
      return;
    case METHOD_GET_PROPERTY:
      connection.sendText(resultResponse(session.combined, request.id));
      return;
    case METHOD_SET_PROPERTY:
      session.combined = request.value;
      connection.sendText(resultResponse(null, request.id));
      return;
  }
  const found: StreamEntry[] = [];
  for (const name of request.streams) {
    const entry = registry.get(name);
    // The live server's text for a stream name it does not serve.
    if (entry === undefined) return connection.sendText(errorResponse(2, 'Invalid request: invalid stream', request.id));
    found.push(entry);
  }
  if (request.method === METHOD_SUBSCRIBE) {
    const added = new Set(found.map((entry) => entry.spec.name).filter((name) => !session.streams.has(name)));
    if (session.streams.size + added.size > limits.maxStreams) {
      connection.sendText(errorResponse(2, `Invalid request: too many streams, a connection can listen to at most ${limits.maxStreams}`, request.id));
      return;
    }
    for (const entry of found) registry.subscribe(session, entry);
  } else {
    for (const entry of found) registry.unsubscribe(session, entry);
  }
  connection.sendText(resultResponse(null, request.id));
}
