// The example payloads of OKX's v5 docs (WS / Order book channel, WS / Trades channel, WS /
// Tickers channel, Overview / WebSocket), as printed there: the decoders must read each exactly.
export const DOC_BOOKS_SNAPSHOT = `{
  "arg": {
    "channel": "books",
    "instId": "BTC-USDT"
  },
  "action": "snapshot",
  "data": [
    {
      "asks": [
        ["8476.98", "415", "0", "13"],
        ["8477", "7", "0", "2"],
        ["8477.34", "85", "0", "1"],
        ["8477.56", "1", "0", "1"],
        ["8505.84", "8", "0", "1"],
        ["8506.37", "85", "0", "1"],
        ["8506.49", "2", "0", "1"],
        ["8506.96", "100", "0", "2"]
      ],
      "bids": [
        ["8476.97", "256", "0", "12"],
        ["8475.55", "101", "0", "1"],
        ["8475.54", "100", "0", "1"],
        ["8475.3", "1", "0", "1"],
        ["8447.32", "6", "0", "1"],
        ["8447.02", "246", "0", "1"],
        ["8446.83", "24", "0", "1"],
        ["8446", "95", "0", "3"]
      ],
      "ts": "1597026383085",
      "checksum": -855196043,
      "prevSeqId": -1,
      "seqId": 123456
    }
  ]
}`;

/** The docs' incremental example (the same levels, prevSeqId 123456, seqId 123457). */
export const DOC_BOOKS_UPDATE = DOC_BOOKS_SNAPSHOT.replace('"snapshot"', '"update"').replace('"prevSeqId": -1', '"prevSeqId": 123456').replace('"seqId": 123456', '"seqId": 123457');

export const DOC_BBO_TBT = `{
  "arg": {
    "channel": "bbo-tbt",
    "instId": "BCH-USDT-SWAP"
  },
  "data": [
    {
      "asks": [
        [
          "111.06","55154","0","2"
        ]
      ],
      "bids": [
        [
          "111.05","57745","0","2"
        ]
      ],
      "ts": "1670324386802",
      "seqId": 363996337
    }
  ]
}`;

export const DOC_BOOKS5 = `{
  "arg": {
    "channel": "books5",
    "instId": "BCH-USDT-SWAP"
  },
  "data": [
    {
      "asks": [
        ["111.06","55154","0","2"],
        ["111.07","53276","0","2"],
        ["111.08","72435","0","2"],
        ["111.09","70312","0","2"],
        ["111.1","67272","0","2"]],
      "bids": [
        ["111.05","57745","0","2"],
        ["111.04","57109","0","2"],
        ["111.03","69563","0","2"],
        ["111.02","71248","0","2"],
        ["111.01","65090","0","2"]],
      "instId": "BCH-USDT-SWAP",
      "ts": "1670324386802",
      "seqId": 363996337
    }
  ]
}`;

export const DOC_TRADES = `{
  "arg": {
    "channel": "trades",
    "instId": "BTC-USDT"
  },
  "data": [
    {
      "instId": "BTC-USDT",
      "tradeId": "130639474",
      "px": "42219.9",
      "sz": "0.12060306",
      "side": "buy",
      "ts": "1630048897897",
      "count": "3",
      "source": "0",
      "seqId": 1234
    }
  ]
}`;

export const DOC_TICKERS = `{
  "arg": {
    "channel": "tickers",
    "instId": "BTC-USDT"
  },
  "data": [
    {
      "instType": "SPOT",
      "instId": "BTC-USDT",
      "last": "9999.99",
      "lastSz": "0.1",
      "askPx": "9999.99",
      "askSz": "11",
      "bidPx": "8888.88",
      "bidSz": "5",
      "open24h": "9000",
      "high24h": "10000",
      "low24h": "8888.88",
      "volCcy24h": "2222",
      "vol24h": "2222",
      "sodUtc0": "2222",
      "sodUtc8": "2222",
      "ts": "1597026383085"
    }
  ]
}`;

export const DOC_SUBSCRIBED = `{
  "id": "1512",
  "event": "subscribe",
  "arg": {
    "channel": "books",
    "instId": "BTC-USDT"
  },
  "connId": "a4d3ae55"
}`;

export const DOC_ERROR = `{
  "id": "1512",
  "event": "error",
  "code": "60012",
  "msg": "Invalid request: {\\"op\\": \\"subscribe\\", \\"argss\\":[{ \\"channel\\" : \\"books\\", \\"instId\\" : \\"BTC-USD-191227\\"}]}",
  "connId": "a4d3ae55"
}`;

export const DOC_NOTICE = `{
    "event": "notice",
    "code": "64008",
    "msg": "The connection will soon be closed for a service upgrade. Please reconnect.",
    "connId": "a4d3ae55"
}`;

const encoder = new TextEncoder();
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The `data` array of a push (what the stream decoder hands on as the payload). */
export function dataArray(push: string): Uint8Array {
  return bytes(JSON.stringify((JSON.parse(push) as { data: unknown }).data));
}

/** The same push in the compact spelling OKX's servers send (no whitespace). */
export function compact(text: string): string {
  return JSON.stringify(JSON.parse(text));
}
