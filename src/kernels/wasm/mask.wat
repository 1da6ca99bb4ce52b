;; RFC 6455 5.3 masking: transformed-octet-i = original-octet-i XOR masking-key-octet-(i MOD 4).
;;
;; The key arrives as one i32 whose little-endian bytes are the masking-key octets already rotated
;; to the phase of the first byte (the JS glue does the rotation), so byte j of every 4-byte group
;; uses key byte j and the same 16-byte vector serves every block.
;;
;; Memory is imported so that every kernel module shares one linear memory (see ../simd.ts).
(module
  (import "env" "memory" (memory 1))

  ;; mask(source, target, length, key): target[i] = source[i] ^ key byte (i & 3), i in [0, length).
  ;; target may equal source (in-place unmask); other overlaps are not supported.
  (func (export "mask") (param $source i32) (param $target i32) (param $length i32) (param $key i32)
    (local $keyVector v128)
    (local.set $keyVector (i32x4.splat (local.get $key)))

    ;; 64 bytes per iteration: four independent load/xor/store chains keep both load ports busy.
    (block $done64
      (loop $loop64
        (br_if $done64 (i32.lt_u (local.get $length) (i32.const 64)))
        (v128.store offset=0 align=1 (local.get $target)
          (v128.xor (v128.load offset=0 align=1 (local.get $source)) (local.get $keyVector)))
        (v128.store offset=16 align=1 (local.get $target)
          (v128.xor (v128.load offset=16 align=1 (local.get $source)) (local.get $keyVector)))
        (v128.store offset=32 align=1 (local.get $target)
          (v128.xor (v128.load offset=32 align=1 (local.get $source)) (local.get $keyVector)))
        (v128.store offset=48 align=1 (local.get $target)
          (v128.xor (v128.load offset=48 align=1 (local.get $source)) (local.get $keyVector)))
        (local.set $source (i32.add (local.get $source) (i32.const 64)))
        (local.set $target (i32.add (local.get $target) (i32.const 64)))
        (local.set $length (i32.sub (local.get $length) (i32.const 64)))
        (br $loop64)))

    (block $done16
      (loop $loop16
        (br_if $done16 (i32.lt_u (local.get $length) (i32.const 16)))
        (v128.store align=1 (local.get $target)
          (v128.xor (v128.load align=1 (local.get $source)) (local.get $keyVector)))
        (local.set $source (i32.add (local.get $source) (i32.const 16)))
        (local.set $target (i32.add (local.get $target) (i32.const 16)))
        (local.set $length (i32.sub (local.get $length) (i32.const 16)))
        (br $loop16)))

    ;; Tail: whole words, then single bytes. No overlapping vector here: an in-place unmask would
    ;; XOR the overlapped bytes twice.
    (block $done4
      (loop $loop4
        (br_if $done4 (i32.lt_u (local.get $length) (i32.const 4)))
        (i32.store align=1 (local.get $target)
          (i32.xor (i32.load align=1 (local.get $source)) (local.get $key)))
        (local.set $source (i32.add (local.get $source) (i32.const 4)))
        (local.set $target (i32.add (local.get $target) (i32.const 4)))
        (local.set $length (i32.sub (local.get $length) (i32.const 4)))
        (br $loop4)))

    (block $done1
      (loop $loop1
        (br_if $done1 (i32.eqz (local.get $length)))
        (i32.store8 (local.get $target)
          (i32.xor (i32.load8_u (local.get $source)) (local.get $key)))
        ;; The next byte uses the next key octet.
        (local.set $key (i32.shr_u (local.get $key) (i32.const 8)))
        (local.set $source (i32.add (local.get $source) (i32.const 1)))
        (local.set $target (i32.add (local.get $target) (i32.const 1)))
        (local.set $length (i32.sub (local.get $length) (i32.const 1)))
        (br $loop1))))
)
