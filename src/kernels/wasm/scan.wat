;; Byte-set scanning and ASCII checking for the JSON extractor and the UTF-8 fast path.
;;
;; All functions take absolute addresses [start, end) in the shared linear memory and return an
;; absolute address (or -1), so the JS glue only adds/subtracts one base offset.
;;
;; Each index function has the same shape: a byte loop for ranges under 16 bytes; 64 bytes per
;; iteration (four independent vectors whose match lanes are OR-ed, one branch); a 16-byte loop
;; that finds the lane (i8x16.bitmask + ctz) once the 64-byte loop has seen a match or ran out;
;; and one overlapping load that ends exactly at `end` for the last partial block. Every byte
;; before the current position is already known not to match, so the first match inside that
;; overlapping vector is necessarily at or after the current position: no lane masking needed.
;;
;; The match test is written out at every use rather than called: V8 11 (Node 20) does not inline
;; wasm calls, and a call per 16 bytes held these scans to a quarter of their speed
;; (bench/kernels.ts, indexOfQuoteOrBackslash in kernel memory: 7.5 GB/s with the call).
(module
  (import "env" "memory" (memory 1))

  ;; First address in [start, end) holding '"' (0x22) or '\' (0x5C), or -1.
  (func (export "indexOfQuoteOrBackslash") (param $start i32) (param $end i32) (result i32)
    (local $byte i32) (local $lanes i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $quote v128) (local $backslash v128)
    (if (i32.lt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 16))
      (then
        (block $none
          (loop $bytes
            (br_if $none (i32.ge_u (local.get $start) (local.get $end)))
            (local.set $byte (i32.load8_u (local.get $start)))
            (if (i32.or (i32.eq (local.get $byte) (i32.const 0x22)) (i32.eq (local.get $byte) (i32.const 0x5c)))
              (then (return (local.get $start))))
            (local.set $start (i32.add (local.get $start) (i32.const 1)))
            (br $bytes)))
        (return (i32.const -1))))
    (local.set $quote (i8x16.splat (i32.const 0x22)))
    (local.set $backslash (i8x16.splat (i32.const 0x5c)))
    (block $done64
      (loop $loop64
        (br_if $done64 (i32.gt_u (i32.add (local.get $start) (i32.const 64)) (local.get $end)))
        (local.set $v0 (v128.load offset=0 align=1 (local.get $start)))
        (local.set $v1 (v128.load offset=16 align=1 (local.get $start)))
        (local.set $v2 (v128.load offset=32 align=1 (local.get $start)))
        (local.set $v3 (v128.load offset=48 align=1 (local.get $start)))
        (br_if $done64
          (v128.any_true
            (v128.or
              (v128.or
                (v128.or (i8x16.eq (local.get $v0) (local.get $quote)) (i8x16.eq (local.get $v0) (local.get $backslash)))
                (v128.or (i8x16.eq (local.get $v1) (local.get $quote)) (i8x16.eq (local.get $v1) (local.get $backslash))))
              (v128.or
                (v128.or (i8x16.eq (local.get $v2) (local.get $quote)) (i8x16.eq (local.get $v2) (local.get $backslash)))
                (v128.or (i8x16.eq (local.get $v3) (local.get $quote)) (i8x16.eq (local.get $v3) (local.get $backslash)))))))
        (local.set $start (i32.add (local.get $start) (i32.const 64)))
        (br $loop64)))
    (block $done16
      (loop $loop16
        (br_if $done16 (i32.gt_u (i32.add (local.get $start) (i32.const 16)) (local.get $end)))
        (local.set $v0 (v128.load align=1 (local.get $start)))
        (local.set $lanes (i8x16.bitmask (v128.or (i8x16.eq (local.get $v0) (local.get $quote)) (i8x16.eq (local.get $v0) (local.get $backslash)))))
        (if (local.get $lanes)
          (then (return (i32.add (local.get $start) (i32.ctz (local.get $lanes))))))
        (local.set $start (i32.add (local.get $start) (i32.const 16)))
        (br $loop16)))
    (if (i32.eq (local.get $start) (local.get $end)) (then (return (i32.const -1))))
    (local.set $start (i32.sub (local.get $end) (i32.const 16)))
    (local.set $v0 (v128.load align=1 (local.get $start)))
    (local.set $lanes (i8x16.bitmask (v128.or (i8x16.eq (local.get $v0) (local.get $quote)) (i8x16.eq (local.get $v0) (local.get $backslash)))))
    (if (local.get $lanes)
      (then (return (i32.add (local.get $start) (i32.ctz (local.get $lanes))))))
    (i32.const -1))

  ;; First address in [start, end) holding '"', '\' or a control byte < 0x20 (the bytes that end a
  ;; run of plain JSON string content, RFC 8259 7), or -1.
  (func (export "indexOfStringStop") (param $start i32) (param $end i32) (result i32)
    (local $byte i32) (local $lanes i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $quote v128) (local $backslash v128) (local $space v128)
    (if (i32.lt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 16))
      (then
        (block $none
          (loop $bytes
            (br_if $none (i32.ge_u (local.get $start) (local.get $end)))
            (local.set $byte (i32.load8_u (local.get $start)))
            (if (i32.or (i32.or (i32.eq (local.get $byte) (i32.const 0x22)) (i32.eq (local.get $byte) (i32.const 0x5c))) (i32.lt_u (local.get $byte) (i32.const 0x20)))
              (then (return (local.get $start))))
            (local.set $start (i32.add (local.get $start) (i32.const 1)))
            (br $bytes)))
        (return (i32.const -1))))
    (local.set $quote (i8x16.splat (i32.const 0x22)))
    (local.set $backslash (i8x16.splat (i32.const 0x5c)))
    (local.set $space (i8x16.splat (i32.const 0x20)))
    (block $done64
      (loop $loop64
        (br_if $done64 (i32.gt_u (i32.add (local.get $start) (i32.const 64)) (local.get $end)))
        (local.set $v0 (v128.load offset=0 align=1 (local.get $start)))
        (local.set $v1 (v128.load offset=16 align=1 (local.get $start)))
        (local.set $v2 (v128.load offset=32 align=1 (local.get $start)))
        (local.set $v3 (v128.load offset=48 align=1 (local.get $start)))
        (br_if $done64
          (v128.any_true
            (v128.or
              (v128.or
                (v128.or (v128.or (i8x16.eq (local.get $v0) (local.get $quote)) (i8x16.eq (local.get $v0) (local.get $backslash))) (i8x16.lt_u (local.get $v0) (local.get $space)))
                (v128.or (v128.or (i8x16.eq (local.get $v1) (local.get $quote)) (i8x16.eq (local.get $v1) (local.get $backslash))) (i8x16.lt_u (local.get $v1) (local.get $space))))
              (v128.or
                (v128.or (v128.or (i8x16.eq (local.get $v2) (local.get $quote)) (i8x16.eq (local.get $v2) (local.get $backslash))) (i8x16.lt_u (local.get $v2) (local.get $space)))
                (v128.or (v128.or (i8x16.eq (local.get $v3) (local.get $quote)) (i8x16.eq (local.get $v3) (local.get $backslash))) (i8x16.lt_u (local.get $v3) (local.get $space)))))))
        (local.set $start (i32.add (local.get $start) (i32.const 64)))
        (br $loop64)))
    (block $done16
      (loop $loop16
        (br_if $done16 (i32.gt_u (i32.add (local.get $start) (i32.const 16)) (local.get $end)))
        (local.set $v0 (v128.load align=1 (local.get $start)))
        (local.set $lanes (i8x16.bitmask (v128.or (v128.or (i8x16.eq (local.get $v0) (local.get $quote)) (i8x16.eq (local.get $v0) (local.get $backslash))) (i8x16.lt_u (local.get $v0) (local.get $space)))))
        (if (local.get $lanes)
          (then (return (i32.add (local.get $start) (i32.ctz (local.get $lanes))))))
        (local.set $start (i32.add (local.get $start) (i32.const 16)))
        (br $loop16)))
    (if (i32.eq (local.get $start) (local.get $end)) (then (return (i32.const -1))))
    (local.set $start (i32.sub (local.get $end) (i32.const 16)))
    (local.set $v0 (v128.load align=1 (local.get $start)))
    (local.set $lanes (i8x16.bitmask (v128.or (v128.or (i8x16.eq (local.get $v0) (local.get $quote)) (i8x16.eq (local.get $v0) (local.get $backslash))) (i8x16.lt_u (local.get $v0) (local.get $space)))))
    (if (local.get $lanes)
      (then (return (i32.add (local.get $start) (i32.ctz (local.get $lanes))))))
    (i32.const -1))

  ;; First address in [start, end) holding one of  " \ { } [ ] , :  or -1.
  ;; simdjson-style nibble classification: each of the 8 characters owns one bit; the table for the
  ;; low nibble and the table for the high nibble both carry that bit only at the character's own
  ;; nibble, so (low[c & 15] & high[c >> 4]) != 0 exactly for the 8 characters.
  ;;   bit:   0 "  0x22 | 1 ,  0x2C | 2 :  0x3A | 3 [  0x5B | 4 \  0x5C | 5 ]  0x5D | 6 {  0x7B | 7 }  0x7D
  ;; Bytes >= 0x80 have a high nibble 8..F whose table entry is 0 (swizzle indices are < 16 here).
  (func (export "indexOfStructural") (param $start i32) (param $end i32) (result i32)
    (local $byte i32) (local $lanes i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $lowTable v128) (local $highTable v128) (local $lowNibble v128) (local $zero v128)
    (if (i32.lt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 16))
      (then
        (block $none
          (loop $bytes
            (br_if $none (i32.ge_u (local.get $start) (local.get $end)))
            (local.set $byte (i32.load8_u (local.get $start)))
            (if (i32.or
                  (i32.or
                    (i32.or (i32.eq (local.get $byte) (i32.const 0x22)) (i32.eq (local.get $byte) (i32.const 0x5c)))
                    (i32.or (i32.eq (local.get $byte) (i32.const 0x2c)) (i32.eq (local.get $byte) (i32.const 0x3a))))
                  (i32.or
                    ;; [ and { differ only in bit 5, as do ] and }
                    (i32.eq (i32.and (local.get $byte) (i32.const 0xdf)) (i32.const 0x5b))
                    (i32.eq (i32.and (local.get $byte) (i32.const 0xdf)) (i32.const 0x5d))))
              (then (return (local.get $start))))
            (local.set $start (i32.add (local.get $start) (i32.const 1)))
            (br $bytes)))
        (return (i32.const -1))))
    ;; low nibble:                        0 1 2    3 4 5 6 7 8 9 A    B    C    D    E F
    (local.set $lowTable (v128.const i8x16 0 0 0x01 0 0 0 0 0 0 0 0x04 0x48 0x12 0xa0 0 0))
    ;; high nibble:                       0 1 2    3    4 5    6 7    8 9 A B C D E F
    (local.set $highTable (v128.const i8x16 0 0 0x03 0x04 0 0x38 0 0xc0 0 0 0 0 0 0 0 0))
    (local.set $lowNibble (i8x16.splat (i32.const 0x0f)))
    (block $done64
      (loop $loop64
        (br_if $done64 (i32.gt_u (i32.add (local.get $start) (i32.const 64)) (local.get $end)))
        (local.set $v0 (v128.load offset=0 align=1 (local.get $start)))
        (local.set $v1 (v128.load offset=16 align=1 (local.get $start)))
        (local.set $v2 (v128.load offset=32 align=1 (local.get $start)))
        (local.set $v3 (v128.load offset=48 align=1 (local.get $start)))
        (br_if $done64
          (v128.any_true
            (v128.or
              (v128.or
                (v128.and
            (i8x16.swizzle (local.get $lowTable) (v128.and (local.get $v0) (local.get $lowNibble)))
            (i8x16.swizzle (local.get $highTable) (i8x16.shr_u (local.get $v0) (i32.const 4))))
                (v128.and
            (i8x16.swizzle (local.get $lowTable) (v128.and (local.get $v1) (local.get $lowNibble)))
            (i8x16.swizzle (local.get $highTable) (i8x16.shr_u (local.get $v1) (i32.const 4)))))
              (v128.or
                (v128.and
            (i8x16.swizzle (local.get $lowTable) (v128.and (local.get $v2) (local.get $lowNibble)))
            (i8x16.swizzle (local.get $highTable) (i8x16.shr_u (local.get $v2) (i32.const 4))))
                (v128.and
            (i8x16.swizzle (local.get $lowTable) (v128.and (local.get $v3) (local.get $lowNibble)))
            (i8x16.swizzle (local.get $highTable) (i8x16.shr_u (local.get $v3) (i32.const 4))))))))
        (local.set $start (i32.add (local.get $start) (i32.const 64)))
        (br $loop64)))
    (block $done16
      (loop $loop16
        (br_if $done16 (i32.gt_u (i32.add (local.get $start) (i32.const 16)) (local.get $end)))
        (local.set $v0 (v128.load align=1 (local.get $start)))
        (local.set $lanes (i8x16.bitmask (i8x16.ne (v128.and
            (i8x16.swizzle (local.get $lowTable) (v128.and (local.get $v0) (local.get $lowNibble)))
            (i8x16.swizzle (local.get $highTable) (i8x16.shr_u (local.get $v0) (i32.const 4)))) (local.get $zero))))
        (if (local.get $lanes)
          (then (return (i32.add (local.get $start) (i32.ctz (local.get $lanes))))))
        (local.set $start (i32.add (local.get $start) (i32.const 16)))
        (br $loop16)))
    (if (i32.eq (local.get $start) (local.get $end)) (then (return (i32.const -1))))
    (local.set $start (i32.sub (local.get $end) (i32.const 16)))
    (local.set $v0 (v128.load align=1 (local.get $start)))
    (local.set $lanes (i8x16.bitmask (i8x16.ne (v128.and
            (i8x16.swizzle (local.get $lowTable) (v128.and (local.get $v0) (local.get $lowNibble)))
            (i8x16.swizzle (local.get $highTable) (i8x16.shr_u (local.get $v0) (i32.const 4)))) (local.get $zero))))
    (if (local.get $lanes)
      (then (return (i32.add (local.get $start) (i32.ctz (local.get $lanes))))))
    (i32.const -1))

  ;; First address in [start, end) holding a byte >= 0x80, or -1: how far a text message is ASCII,
  ;; for the UTF-8 validator to skip.
  (func (export "indexOfNonAscii") (param $start i32) (param $end i32) (result i32)
    (local $byte i32) (local $lanes i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $zero v128)
    (if (i32.lt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 16))
      (then
        (block $none
          (loop $bytes
            (br_if $none (i32.ge_u (local.get $start) (local.get $end)))
            (local.set $byte (i32.load8_u (local.get $start)))
            (if (i32.ge_u (local.get $byte) (i32.const 0x80))
              (then (return (local.get $start))))
            (local.set $start (i32.add (local.get $start) (i32.const 1)))
            (br $bytes)))
        (return (i32.const -1))))
    (block $done64
      (loop $loop64
        (br_if $done64 (i32.gt_u (i32.add (local.get $start) (i32.const 64)) (local.get $end)))
        (local.set $v0 (v128.load offset=0 align=1 (local.get $start)))
        (local.set $v1 (v128.load offset=16 align=1 (local.get $start)))
        (local.set $v2 (v128.load offset=32 align=1 (local.get $start)))
        (local.set $v3 (v128.load offset=48 align=1 (local.get $start)))
        (br_if $done64
          (v128.any_true
            (v128.or
              (v128.or
                (i8x16.lt_s (local.get $v0) (local.get $zero))
                (i8x16.lt_s (local.get $v1) (local.get $zero)))
              (v128.or
                (i8x16.lt_s (local.get $v2) (local.get $zero))
                (i8x16.lt_s (local.get $v3) (local.get $zero))))))
        (local.set $start (i32.add (local.get $start) (i32.const 64)))
        (br $loop64)))
    (block $done16
      (loop $loop16
        (br_if $done16 (i32.gt_u (i32.add (local.get $start) (i32.const 16)) (local.get $end)))
        (local.set $v0 (v128.load align=1 (local.get $start)))
        (local.set $lanes (i8x16.bitmask (i8x16.lt_s (local.get $v0) (local.get $zero))))
        (if (local.get $lanes)
          (then (return (i32.add (local.get $start) (i32.ctz (local.get $lanes))))))
        (local.set $start (i32.add (local.get $start) (i32.const 16)))
        (br $loop16)))
    (if (i32.eq (local.get $start) (local.get $end)) (then (return (i32.const -1))))
    (local.set $start (i32.sub (local.get $end) (i32.const 16)))
    (local.set $v0 (v128.load align=1 (local.get $start)))
    (local.set $lanes (i8x16.bitmask (i8x16.lt_s (local.get $v0) (local.get $zero))))
    (if (local.get $lanes)
      (then (return (i32.add (local.get $start) (i32.ctz (local.get $lanes))))))
    (i32.const -1))

  ;; 1 when every byte in [start, end) is < 0x80, else 0. The fast path only detects; a caller that
  ;; needs the position of the first non-ASCII byte asks the scalar path (simdutf's split).
  (func (export "isAscii") (param $start i32) (param $end i32) (result i32)
    (local $accumulator v128)
    (if (i32.lt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 16))
      (then
        (block $done
          (loop $bytes
            (br_if $done (i32.ge_u (local.get $start) (local.get $end)))
            (if (i32.ge_u (i32.load8_u (local.get $start)) (i32.const 0x80)) (then (return (i32.const 0))))
            (local.set $start (i32.add (local.get $start) (i32.const 1)))
            (br $bytes)))
        (return (i32.const 1))))
    ;; 64 bytes per iteration, OR-ed; the sign bits are checked once per iteration so a non-ASCII
    ;; byte early in a large message stops the scan early.
    (block $done64
      (loop $loop64
        (br_if $done64 (i32.gt_u (i32.add (local.get $start) (i32.const 64)) (local.get $end)))
        (if (i8x16.bitmask
              (v128.or
                (v128.or (v128.load offset=0 align=1 (local.get $start)) (v128.load offset=16 align=1 (local.get $start)))
                (v128.or (v128.load offset=32 align=1 (local.get $start)) (v128.load offset=48 align=1 (local.get $start)))))
          (then (return (i32.const 0))))
        (local.set $start (i32.add (local.get $start) (i32.const 64)))
        (br $loop64)))
    (block $done16
      (loop $loop16
        (br_if $done16 (i32.gt_u (i32.add (local.get $start) (i32.const 16)) (local.get $end)))
        (local.set $accumulator (v128.or (local.get $accumulator) (v128.load align=1 (local.get $start))))
        (local.set $start (i32.add (local.get $start) (i32.const 16)))
        (br $loop16)))
    (if (i32.lt_u (local.get $start) (local.get $end))
      (then
        (local.set $accumulator
          (v128.or (local.get $accumulator) (v128.load align=1 (i32.sub (local.get $end) (i32.const 16)))))))
    (i32.eqz (i8x16.bitmask (local.get $accumulator))))
)
