// Bybit v5's own example payloads (bybit-exchange/docs), as the docs print them. The orderbook
// snapshot example elides levels with "...,"; here those placeholders (and the trailing comma
// they leave) are removed, nothing else changed.

/** docs/v5/websocket/public/orderbook.mdx, "Response Example", Snapshot. */
export const ORDERBOOK_SNAPSHOT = `{
    "topic": "orderbook.50.BTCUSDT",
    "type": "snapshot",
    "ts": 1672304484978,
    "data": {
        "s": "BTCUSDT",
        "b": [
            [
                "16493.50",
                "0.006"
            ],
            [
                "16493.00",
                "0.100"
            ]
        ],
        "a": [
            [
                "16611.00",
                "0.029"
            ],
            [
                "16612.00",
                "0.213"
            ]
        ],
    "u": 18521288,
    "seq": 7961638724
    },
    "cts": 1672304484976
}`;

/** docs/v5/websocket/public/orderbook.mdx, "Response Example", Delta. */
export const ORDERBOOK_DELTA = `{
    "topic": "orderbook.50.BTCUSDT",
    "type": "delta",
    "ts": 1687940967466,
    "data": {
        "s": "BTCUSDT",
        "b": [
            [
                "30247.20",
                "30.028"
            ],
            [
                "30245.40",
                "0.224"
            ],
            [
                "30242.10",
                "1.593"
            ],
            [
                "30240.30",
                "1.305"
            ],
            [
                "30240.00",
                "0"
            ]
        ],
        "a": [
            [
                "30248.70",
                "0"
            ],
            [
                "30249.30",
                "0.892"
            ],
            [
                "30249.50",
                "1.778"
            ],
            [
                "30249.60",
                "0"
            ],
            [
                "30251.90",
                "2.947"
            ],
            [
                "30252.20",
                "0.659"
            ],
            [
                "30252.50",
                "4.591"
            ]
        ],
        "u": 177400507,
        "seq": 66544703342
    },
    "cts": 1687940967464
}`;

/** docs/v5/websocket/public/trade.mdx, "Response Example". */
export const PUBLIC_TRADE = `{
    "topic": "publicTrade.BTCUSDT",
    "type": "snapshot",
    "ts": 1672304486868,
    "data": [
        {
            "T": 1672304486865,
            "s": "BTCUSDT",
            "S": "Buy",
            "v": "0.001",
            "p": "16578.50",
            "L": "PlusTick",
            "i": "20f43950-d8dd-5b31-9112-a178eb6023af",
            "BT": false,
            "seq": 1783284617
        }
    ]
}`;

/** docs/v5/websocket/public/ticker.mdx, "Response Example", Linear (LinearPerpetual). */
export const TICKER_LINEAR = `{
  "topic": "tickers.BTCUSDT",
  "type": "snapshot",
  "data": {
    "symbol": "BTCUSDT",
    "tickDirection": "MinusTick",
    "price24hPcnt": "-0.158315",
    "lastPrice": "66666.60",
    "prevPrice24h": "79206.20",
    "highPrice24h": "79266.30",
    "lowPrice24h": "65076.90",
    "prevPrice1h": "66666.60",
    "markPrice": "66666.60",
    "indexPrice": "115418.19",
    "openInterest": "492373.72",
    "openInterestValue": "32824881841.75",
    "turnover24h": "4936790807.6521",
    "volume24h": "73191.3870",
    "fundingIntervalHour": "8",
    "fundingCap": "0.005",
    "nextFundingTime": "1760342400000",
    "fundingRate": "-0.005",
    "bid1Price": "66666.60",
    "bid1Size": "23789.165",
    "ask1Price": "66666.70",
    "ask1Size": "23775.469",
    "preOpenPrice": "",
    "preQty": "",
    "curPreListingPhase": ""
  },
  "cs": 9532239429,
  "ts": 1760325052630
}`;

/** docs/v5/websocket/public/ticker.mdx, "Response Example", Linear (LinearFutures). */
export const TICKER_LINEAR_FUTURES = `{
  "topic": "tickers.BTC-26DEC25",
  "type": "snapshot",
  "data": {
    "symbol": "BTC-26DEC25",
    "tickDirection": "ZeroMinusTick",
    "price24hPcnt": "0",
    "lastPrice": "109401.50",
    "prevPrice24h": "109401.50",
    "highPrice24h": "109401.50",
    "lowPrice24h": "109401.50",
    "prevPrice1h": "109401.50",
    "markPrice": "121144.63",
    "indexPrice": "114132.51",
    "openInterest": "6.622",
    "openInterestValue": "802219.74",
    "turnover24h": "0.0000",
    "volume24h": "0.0000",
    "deliveryTime": "2025-12-26T08:00:00Z",
    "basisRate": "0.06129209",
    "deliveryFeeRate": "0",
    "predictedDeliveryPrice": "0.00",
    "basis": "-4730.84",
    "basisRateYear": "0.30655351",
    "nextFundingTime": "",
    "fundingRate": "",
    "bid1Price": "111254.50",
    "bid1Size": "0.176",
    "ask1Price": "131001.00",
    "ask1Size": "0.580"
  },
  "cs": 31337927919,
  "ts": 1760409119857
}`;

/** docs/v5/websocket/public/ticker.mdx, "Response Example", Spot. */
export const TICKER_SPOT = `{
    "topic": "tickers.BTCUSDT",
    "ts": 1673853746003,
    "type": "snapshot",
    "cs": 2588407389,
    "data": {
        "symbol": "BTCUSDT",
        "lastPrice": "21109.77",
        "highPrice24h": "21426.99",
        "lowPrice24h": "20575",
        "prevPrice24h": "20704.93",
        "volume24h": "6780.866843",
        "turnover24h": "141946527.22907118",
        "price24hPcnt": "0.0196",
        "usdIndexPrice": "21120.2400136"
    }
}`;

// docs/v5/ws/connect (docs/v5/websocket/wss-authentication.mdx): answers to the client.
export const SUBSCRIBE_SPOT = `{
    "success": true,
    "ret_msg": "subscribe",
    "conn_id": "2324d924-aa4d-45b0-a858-7b8be29ab52b",
    "req_id": "10001",
    "op": "subscribe"
}`;
export const SUBSCRIBE_LINEAR = `{
    "success": true,
    "ret_msg": "",
    "conn_id": "3cd84cb1-4d06-4a05-930a-2efe5fc70f0f",
    "req_id": "",
    "op": "subscribe"
}`;
export const PONG_SPOT = `{
    "success": true,
    "ret_msg": "pong",
    "conn_id": "0970e817-426e-429a-a679-ff7f55e0b16a",
    "op": "ping"
}`;
export const PONG_LINEAR = `{
    "success": true,
    "ret_msg": "pong",
    "conn_id": "465772b1-7630-4fdc-a492-e003e6f0f260",
    "req_id": "",
    "op": "ping"
}`;
