;; Depth levels -> fixed-point integers: the array `[["price","quantity"],...]` of a depth message
;; (Binance depthUpdate "b"/"a", snapshot "bids"/"asks"; Bybit "b"/"a"), read where the client
;; received it, at scale 8 (value = decimal * 10^8, Binance's own precision).
;;
;; One export, levelPairs(pos, end, pairs, countAt, capacity, nextKey, pairs2, countAt2, capacity2, tables):
;; pos is the address of the array's '[' and end the end of the message. On success the result is
;; the address just after the array's ']', the levels are stored as f64 pairs (price, quantity)
;; from `pairs` and their count as an i32 at `countAt`. When pairs2 is not 0 and the array is
;; followed at once by ',' + the 4 bytes of `nextKey` (little-endian, e.g. `"a":`) + '[', that
;; second array is read the same way into pairs2 / countAt2 (the result is then after it; when it
;; is handed back, the result is after the first array and countAt2 is left alone). `tables` is
;; the address of 144 bytes the caller filled once: at +8n the mask of a word's n low bytes, at
;; +72 + 8n 10^n (n = 0..8). On anything else the result is -1 and the caller reads the array with its scalar parser
;; (market-json/fixed-point.ts scanUnits), which is the reference: this kernel accepts only inputs
;; that parser accepts, with the same values, and hands back everything else. It takes: no
;; whitespace, no escapes, 1 to 8 digits on each side of a dot, values below 2^53, every byte used
;; before `end`, at most `capacity` levels, no level longer than 60 bytes.
;;
;; How: the 64 bytes from a level's '[' are classified at once into two bit masks (quote bytes and
;; non-digit bytes, four SIMD compares each). The quotes of the levels in that window are taken in
;; order by clearing the lowest set bit, and everything about a decimal hangs off its two quotes:
;; the first non-digit after the opening quote must be the dot and the second the closing quote
;; (two bit scans). Each side of the dot is loaded as one word, its digits left-aligned and the
;; bytes past them masked off, and converted by pairs, quads and octets with one multiply each
;; (SWAR in 64 bits, see below). On the bench machine this took a 20-level side from about 400 ns
;; (a decimal after a decimal, each found by its own loads and scans, converted in i64) to under
;; 300 ns; the SWAR conversion with table masks (instead of SIMD dot products and shifts by a
;; computed amount, each of which V8 compiles to several instructions) took the kernel alone on a
;; 20+20-level message from about 800 to 630 ns on Node 26 (and the decoder in bench/book.ts from
;; about 1050 to 900 ns).
;;
;; Loads reach at most 80 bytes past a window's start (which lies before `end`): `end` + 80 is
;; checked against the memory's end once;
;; mask bits past `end` are never used (every quote used is checked to lie before `end`).
;;
;; Written out in one function: V8 11 (Node 20) does not inline wasm calls (see scan.wat).
(module
  (import "env" "memory" (memory 1))

  (func (export "levelPairs")
    (param $pos i32) (param $end i32) (param $pairs i32) (param $countAt i32) (param $capacity i32)
    (param $nextKey i32) (param $pairs2 i32) (param $countAt2 i32) (param $capacity2 i32) (param $tables i32) (result i32)
    (local $firstEnd i32) (local $memoryEnd i32) (local $count i32) (local $slot i32) (local $window i32) (local $level i32)
    (local $quotes i64) (local $nonDigits i64) (local $v v128)
    (local $quoteByte v128) (local $bias v128) (local $digitLimit v128)
    (local $open1 i32) (local $close1 i32) (local $open2 i32) (local $close2 i32)
    (local $dot i32) (local $whole i32) (local $fraction i32)
    (local $priceUnits i64) (local $quantityUnits i64) (local $x i64)
    (local.set $memoryEnd (i32.shl (memory.size) (i32.const 16)))
    (local.set $quoteByte (i8x16.splat (i32.const 0x22)))
    ;; digit test in one signed compare: byte - 0xB0 maps '0'..'9' to -128..-119
    (local.set $bias (i8x16.splat (i32.const 0xb0)))
    (local.set $digitLimit (i8x16.splat (i32.const 0x8a)))
    (local.set $firstEnd (i32.const -1))
    ;; every window starts before `end`, so this one check keeps all loads inside the memory
    (if (i32.gt_u (i32.add (local.get $end) (i32.const 80)) (local.get $memoryEnd)) (then (return (i32.const -1))))
    (loop $arrays
    (block $handBack
     (block $arrayDone
      ;; '[' then ']' (empty) or the first level's '['
      (br_if $handBack (i32.ge_u (i32.add (local.get $pos) (i32.const 1)) (local.get $end)))
      (br_if $handBack (i32.ne (i32.load8_u (local.get $pos)) (i32.const 0x5b)))
      (if (i32.eq (i32.load8_u offset=1 (local.get $pos)) (i32.const 0x5d))
        (then
          (local.set $level (i32.add (local.get $pos) (i32.const 2)))
          (br $arrayDone)))
      (local.set $slot (local.get $pairs))
      (local.set $level (i32.add (local.get $pos) (i32.const 1)))
      (loop $windows
        ;; ---- classify the 64 bytes from the next level's '[' ----
        (local.set $window (local.get $level))
        (local.set $v (v128.load offset=0 align=1 (local.get $window)))
        (local.set $quotes (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $quoteByte)))))
        (local.set $nonDigits (i64.extend_i32_u (i8x16.bitmask (i8x16.ge_s (i8x16.sub (local.get $v) (local.get $bias)) (local.get $digitLimit)))))
        (local.set $v (v128.load offset=16 align=1 (local.get $window)))
        (local.set $quotes (i64.or (local.get $quotes)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $quoteByte)))) (i64.const 16))))
        (local.set $nonDigits (i64.or (local.get $nonDigits)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.ge_s (i8x16.sub (local.get $v) (local.get $bias)) (local.get $digitLimit)))) (i64.const 16))))
        (local.set $v (v128.load offset=32 align=1 (local.get $window)))
        (local.set $quotes (i64.or (local.get $quotes)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $quoteByte)))) (i64.const 32))))
        (local.set $nonDigits (i64.or (local.get $nonDigits)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.ge_s (i8x16.sub (local.get $v) (local.get $bias)) (local.get $digitLimit)))) (i64.const 32))))
        (local.set $v (v128.load offset=48 align=1 (local.get $window)))
        (local.set $quotes (i64.or (local.get $quotes)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $quoteByte)))) (i64.const 48))))
        (local.set $nonDigits (i64.or (local.get $nonDigits)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.ge_s (i8x16.sub (local.get $v) (local.get $bias)) (local.get $digitLimit)))) (i64.const 48))))
        (loop $levels
          ;; a level needs its four quotes inside the window; else the next window starts here
          ;; (a level that does not fit in a fresh window is handed back)
          (if (i64.lt_u (i64.popcnt (local.get $quotes)) (i64.const 4))
            (then
              (br_if $handBack (i32.eq (local.get $level) (local.get $window)))
              (br $windows)))
          (br_if $handBack (i32.ge_u (local.get $count) (local.get $capacity)))
          (local.set $open1 (i32.wrap_i64 (i64.ctz (local.get $quotes))))
          (local.set $quotes (i64.and (local.get $quotes) (i64.sub (local.get $quotes) (i64.const 1))))
          (local.set $close1 (i32.wrap_i64 (i64.ctz (local.get $quotes))))
          (local.set $quotes (i64.and (local.get $quotes) (i64.sub (local.get $quotes) (i64.const 1))))
          (local.set $open2 (i32.wrap_i64 (i64.ctz (local.get $quotes))))
          (local.set $quotes (i64.and (local.get $quotes) (i64.sub (local.get $quotes) (i64.const 1))))
          (local.set $close2 (i32.wrap_i64 (i64.ctz (local.get $quotes))))
          (local.set $quotes (i64.and (local.get $quotes) (i64.sub (local.get $quotes) (i64.const 1))))
          ;; `["` price `","` quantity `"]`, then `,` or the array's `]`, all before `end`
          (br_if $handBack (i32.ge_u (i32.add (i32.add (local.get $window) (local.get $close2)) (i32.const 2)) (local.get $end)))
          (br_if $handBack (i32.ne (i32.add (i32.sub (local.get $level) (local.get $window)) (i32.const 1)) (local.get $open1)))
          (br_if $handBack (i32.ne (i32.load8_u (local.get $level)) (i32.const 0x5b)))
          (br_if $handBack (i32.ne (i32.add (local.get $close1) (i32.const 2)) (local.get $open2)))
          (br_if $handBack (i32.ne (i32.load8_u offset=1 (i32.add (local.get $window) (local.get $close1))) (i32.const 0x2c)))
          (br_if $handBack (i32.ne (i32.load8_u offset=1 (i32.add (local.get $window) (local.get $close2))) (i32.const 0x5d)))
          ;; The two decimals, between quotes open1/close1 (price) and open2/close2 (quantity). In
          ;; each, the first non-digit after the opening quote must be the dot and the second the
          ;; closing quote, with 1 to 8 digits on each side of the dot. Each side's digits are loaded
          ;; as one word, left-aligned (the bytes past them zeroed by a mask from the table), and
          ;; made a number by pairs, quads and octets, one multiply each (SWAR in 64 bits): the
          ;; fraction is then already at scale 8, and the whole part w digits long is whole * 10^(8-w),
          ;; so price = that * 10^w (from the table) + fraction. No shift by a computed amount: each
          ;; costs V8 several instructions (the count masked and moved to cl).
          (local.set $x (i64.shr_u (local.get $nonDigits) (i64.extend_i32_u (i32.add (local.get $open1) (i32.const 1)))))
          (local.set $whole (i32.wrap_i64 (i64.ctz (local.get $x))))
          (local.set $dot (i32.add (i32.add (local.get $open1) (i32.const 1)) (local.get $whole)))
          (local.set $fraction (i32.sub (i32.sub (local.get $close1) (local.get $dot)) (i32.const 1)))
          (br_if $handBack (i32.ne (local.get $close1) (i32.add (i32.add (local.get $open1) (i32.const 1))
            (i32.wrap_i64 (i64.ctz (i64.and (local.get $x) (i64.sub (local.get $x) (i64.const 1))))))))
          (br_if $handBack (i32.gt_u (i32.or (i32.sub (local.get $whole) (i32.const 1)) (i32.sub (local.get $fraction) (i32.const 1))) (i32.const 7)))
          (br_if $handBack (i32.ne (i32.load8_u (i32.add (local.get $window) (local.get $dot))) (i32.const 0x2e)))
          (local.set $priceUnits (i64.add
            (i64.mul
              (i64.shr_u (i64.mul (i64.and (i64.shr_u (i64.mul (i64.and (i64.shr_u (i64.mul (i64.and (i64.sub (i64.load offset=1 align=1 (i32.add (local.get $window) (local.get $open1))) (i64.const 0x3030303030303030)) (i64.load (i32.add (local.get $tables) (i32.shl (local.get $whole) (i32.const 3))))) (i64.const 2561)) (i64.const 8)) (i64.const 0x00FF00FF00FF00FF)) (i64.const 6553601)) (i64.const 16)) (i64.const 0x0000FFFF0000FFFF)) (i64.const 42949672960001)) (i64.const 32))
              (i64.load offset=72 (i32.add (local.get $tables) (i32.shl (local.get $whole) (i32.const 3)))))
            (i64.shr_u (i64.mul (i64.and (i64.shr_u (i64.mul (i64.and (i64.shr_u (i64.mul (i64.and (i64.sub (i64.load offset=1 align=1 (i32.add (local.get $window) (local.get $dot))) (i64.const 0x3030303030303030)) (i64.load (i32.add (local.get $tables) (i32.shl (local.get $fraction) (i32.const 3))))) (i64.const 2561)) (i64.const 8)) (i64.const 0x00FF00FF00FF00FF)) (i64.const 6553601)) (i64.const 16)) (i64.const 0x0000FFFF0000FFFF)) (i64.const 42949672960001)) (i64.const 32))))
          ;; the quantity, the same way
          (local.set $x (i64.shr_u (local.get $nonDigits) (i64.extend_i32_u (i32.add (local.get $open2) (i32.const 1)))))
          (local.set $whole (i32.wrap_i64 (i64.ctz (local.get $x))))
          (local.set $dot (i32.add (i32.add (local.get $open2) (i32.const 1)) (local.get $whole)))
          (local.set $fraction (i32.sub (i32.sub (local.get $close2) (local.get $dot)) (i32.const 1)))
          (br_if $handBack (i32.ne (local.get $close2) (i32.add (i32.add (local.get $open2) (i32.const 1))
            (i32.wrap_i64 (i64.ctz (i64.and (local.get $x) (i64.sub (local.get $x) (i64.const 1))))))))
          (br_if $handBack (i32.gt_u (i32.or (i32.sub (local.get $whole) (i32.const 1)) (i32.sub (local.get $fraction) (i32.const 1))) (i32.const 7)))
          (br_if $handBack (i32.ne (i32.load8_u (i32.add (local.get $window) (local.get $dot))) (i32.const 0x2e)))
          (local.set $quantityUnits (i64.add
            (i64.mul
              (i64.shr_u (i64.mul (i64.and (i64.shr_u (i64.mul (i64.and (i64.shr_u (i64.mul (i64.and (i64.sub (i64.load offset=1 align=1 (i32.add (local.get $window) (local.get $open2))) (i64.const 0x3030303030303030)) (i64.load (i32.add (local.get $tables) (i32.shl (local.get $whole) (i32.const 3))))) (i64.const 2561)) (i64.const 8)) (i64.const 0x00FF00FF00FF00FF)) (i64.const 6553601)) (i64.const 16)) (i64.const 0x0000FFFF0000FFFF)) (i64.const 42949672960001)) (i64.const 32))
              (i64.load offset=72 (i32.add (local.get $tables) (i32.shl (local.get $whole) (i32.const 3)))))
            (i64.shr_u (i64.mul (i64.and (i64.shr_u (i64.mul (i64.and (i64.shr_u (i64.mul (i64.and (i64.sub (i64.load offset=1 align=1 (i32.add (local.get $window) (local.get $dot))) (i64.const 0x3030303030303030)) (i64.load (i32.add (local.get $tables) (i32.shl (local.get $fraction) (i32.const 3))))) (i64.const 2561)) (i64.const 8)) (i64.const 0x00FF00FF00FF00FF)) (i64.const 6553601)) (i64.const 16)) (i64.const 0x0000FFFF0000FFFF)) (i64.const 42949672960001)) (i64.const 32))))
          (br_if $handBack (i64.ge_u (i64.or (local.get $priceUnits) (local.get $quantityUnits)) (i64.const 0x20000000000000)))
          (f64.store (local.get $slot) (f64.convert_i64_s (local.get $priceUnits)))
          (f64.store offset=8 (local.get $slot) (f64.convert_i64_s (local.get $quantityUnits)))
          (local.set $slot (i32.add (local.get $slot) (i32.const 16)))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          ;; `,` and the next level's '[' (checked with that level), or the array's `]`
          (local.set $level (i32.add (i32.add (local.get $window) (local.get $close2)) (i32.const 3)))
          (br_if $levels (i32.eq (i32.load8_u offset=2 (i32.add (local.get $window) (local.get $close2))) (i32.const 0x2c)))
          (br_if $handBack (i32.ne (i32.load8_u offset=2 (i32.add (local.get $window) (local.get $close2))) (i32.const 0x5d)))
          (br $arrayDone))))
      ;; an array read: $level is just after its ']'
      (i32.store (local.get $countAt) (local.get $count))
      ;; the second array when it follows at once under `nextKey` (`,"a":[` after Binance's bids):
      ;; one call for both sides of a depth message
      (if (i32.and (i32.ne (local.get $pairs2) (i32.const 0)) (i32.lt_u (i32.add (local.get $level) (i32.const 5)) (local.get $end)))
        (then
          (if (i32.and (i32.eq (i32.load8_u (local.get $level)) (i32.const 0x2c))
                (i32.and (i32.eq (i32.load offset=1 align=1 (local.get $level)) (local.get $nextKey))
                         (i32.eq (i32.load8_u offset=5 (local.get $level)) (i32.const 0x5b))))
            (then
              (local.set $firstEnd (local.get $level))
              (local.set $pos (i32.add (local.get $level) (i32.const 5)))
              (local.set $pairs (local.get $pairs2))
              (local.set $countAt (local.get $countAt2))
              (local.set $capacity (local.get $capacity2))
              (local.set $pairs2 (i32.const 0))
              (local.set $count (i32.const 0))
              (br $arrays)))))
      (return (local.get $level)))
    ;; handed back: nothing, or the first array alone when the second was handed back
    (return (local.get $firstEnd)))
    (unreachable))
)
