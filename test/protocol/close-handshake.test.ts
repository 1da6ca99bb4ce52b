// The close handshake machine without sockets: every event in every state, the actions it asks
// for, and what onClose reports (RFC 6455 7.1.1-7.1.7, 7.4.1).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloseHandshake,
  DESTROY_TRANSPORT,
  END_TRANSPORT,
  HANDSHAKE_CLOSE_EXCHANGED,
  HANDSHAKE_CLOSE_SENT,
  HANDSHAKE_CLOSED,
  HANDSHAKE_CONNECTING,
  HANDSHAKE_FAILED,
  HANDSHAKE_OPEN,
  HANDSHAKE_TERMINATED,
  REPORT_CLOSE,
  REPORT_TIMEOUT,
  SEND_CLOSE,
  START_TIMER,
} from '../../src/protocol/close-handshake.js';
import { STATE_CLOSED, STATE_CLOSING, STATE_CONNECTING, STATE_OPEN } from '../../src/protocol/connection-state.js';

const reason = Buffer.from('bye');

describe('CloseHandshake', () => {
  it('we close first: close frame + timer; the peer answers: end TCP; TCP gone: report the peer code', () => {
    const machine = new CloseHandshake(HANDSHAKE_OPEN);
    assert.equal(machine.readyState, STATE_OPEN);
    assert.equal(machine.close(1000, reason), SEND_CLOSE | START_TIMER);
    assert.equal(machine.outgoingCode, 1000);
    assert.equal(machine.outgoingReason, reason);
    assert.equal(machine.state, HANDSHAKE_CLOSE_SENT);
    assert.equal(machine.readyState, STATE_CLOSING);
    assert.equal(machine.close(1000, reason), 0, 'a second close() does nothing');
    assert.equal(machine.receiveClose(1001, 'going'), END_TRANSPORT | START_TIMER, 'no second close frame');
    assert.equal(machine.state, HANDSHAKE_CLOSE_EXCHANGED);
    assert.equal(machine.transportClosed(), REPORT_CLOSE);
    assert.deepEqual([machine.reportCode, machine.reportReason], [1001, 'going']);
    assert.equal(machine.readyState, STATE_CLOSED);
    assert.equal(machine.transportClosed(), 0, 'reported exactly once');
  });

  it('the peer closes first: echo its code (5.5.1), end TCP, report its code and reason', () => {
    const machine = new CloseHandshake(HANDSHAKE_OPEN);
    assert.equal(machine.receiveClose(4001, 'custom'), SEND_CLOSE | END_TRANSPORT | START_TIMER);
    assert.equal(machine.outgoingCode, 4001);
    assert.equal(machine.outgoingReason.length, 0);
    assert.equal(machine.readyState, STATE_CLOSING);
    assert.equal(machine.close(1000, reason), 0, 'close() after the peer closed sends nothing');
    assert.equal(machine.transportClosed(), REPORT_CLOSE);
    assert.deepEqual([machine.reportCode, machine.reportReason], [4001, 'custom']);
  });

  it('a close frame without a code (1005) is answered by one without a body', () => {
    const machine = new CloseHandshake(HANDSHAKE_OPEN);
    assert.equal(machine.receiveClose(1005, ''), SEND_CLOSE | END_TRANSPORT | START_TIMER);
    assert.equal(machine.outgoingCode, 0);
    machine.transportClosed();
    assert.equal(machine.reportCode, 1005);
  });

  it('failing (7.1.7) sends the code unless our close is out, and reports it without a peer close frame', () => {
    const open = new CloseHandshake(HANDSHAKE_OPEN);
    assert.equal(open.fail(1002), SEND_CLOSE | END_TRANSPORT | START_TIMER);
    assert.equal(open.outgoingCode, 1002);
    assert.equal(open.state, HANDSHAKE_FAILED);
    assert.equal(open.fail(1011), 0, 'only the first failure counts');
    assert.equal(open.receiveClose(1000, ''), 0);
    open.transportClosed();
    assert.deepEqual([open.reportCode, open.reportReason], [1002, '']);

    const closing = new CloseHandshake(HANDSHAKE_OPEN);
    closing.close(1000, reason);
    assert.equal(closing.fail(1009), END_TRANSPORT | START_TIMER, 'our close frame is out: no second one');
    closing.transportClosed();
    assert.equal(closing.reportCode, 1009);
  });

  it('the close timer: an unanswered close is reported as a timeout; otherwise just destroy', () => {
    const unanswered = new CloseHandshake(HANDSHAKE_OPEN);
    unanswered.close(1000, reason);
    assert.equal(unanswered.timerExpired(), DESTROY_TRANSPORT | REPORT_TIMEOUT);
    unanswered.transportClosed();
    assert.equal(unanswered.reportCode, 1006, 'RFC 6455 7.1.5: no close frame received');

    const answered = new CloseHandshake(HANDSHAKE_OPEN);
    answered.receiveClose(1000, '');
    assert.equal(answered.timerExpired(), DESTROY_TRANSPORT, 'the peer kept TCP open after the handshake');
    answered.transportClosed();
    assert.equal(answered.timerExpired(), 0);
  });

  it('terminate: closed at once, destroy; the report still comes with the transport close (1006)', () => {
    const machine = new CloseHandshake(HANDSHAKE_OPEN);
    assert.equal(machine.terminate(), DESTROY_TRANSPORT);
    assert.equal(machine.state, HANDSHAKE_TERMINATED);
    assert.equal(machine.readyState, STATE_CLOSED);
    assert.equal(machine.terminate(), 0);
    assert.equal(machine.close(1000, reason), 0);
    assert.equal(machine.fail(1002), 0);
    assert.equal(machine.receiveClose(1000, ''), 0);
    assert.equal(machine.transportClosed(), REPORT_CLOSE);
    assert.equal(machine.state, HANDSHAKE_CLOSED);
    assert.equal(machine.reportCode, 1006);

    const afterPeerClose = new CloseHandshake(HANDSHAKE_OPEN);
    afterPeerClose.receiveClose(1001, 'away');
    afterPeerClose.terminate();
    afterPeerClose.transportClosed();
    assert.equal(afterPeerClose.reportCode, 1001, 'the peer close frame had arrived');
  });

  it('connecting: nothing to send until opened; a dropped TCP connection reports 1006', () => {
    const machine = new CloseHandshake(HANDSHAKE_CONNECTING);
    assert.equal(machine.readyState, STATE_CONNECTING);
    assert.equal(machine.close(1000, reason), 0);
    machine.opened();
    assert.equal(machine.readyState, STATE_OPEN);
    assert.equal(machine.transportClosed(), REPORT_CLOSE);
    assert.equal(machine.reportCode, 1006);
  });
});
