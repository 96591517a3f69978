;; SIMD kernels of the implicit-ALS row solves (conjugate-gradient.ts), over memory shared by the
;; training threads, and of request scoring (factor-scorer.ts, dense-gram.ts). Addresses are byte
;; offsets; factor rows are float32 with k a multiple of 4.
;; Built into implicit-kernels.wasm.ts by scripts/build-wasm.mjs (`npm run build` runs it).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; For every non-zero n in [start, end) of a row (item idx[n], confidence c = conf[n]):
  ;;   d = y[idx[n]] · v                      (float32 lanes, v a float32 copy of the CG vector)
  ;;   out += (s0·c + s1·(c − 1)·d) · y[idx[n]]  (float64: CG's residual and A·p stay exact enough
  ;;                                             for the converged solves)
  ;; s0 = 1, s1 = −1 gives b − (A − B)x; s0 = 0, s1 = 1 gives (A − B)p. With sums32 ≠ 0 each group
  ;; of four non-zeros is summed in float32 before it is added to out ($axpy4f; the sweeps' CG steps).
  ;; Four non-zeros at a time: their factor rows are scattered over memory, and four independent
  ;; dot products keep four row fetches in flight (measured 2× the one-row loop on 180,000 rows),
  ;; and their four updates of out share one pass over it ($axpy4, the same sums in the same order).

  (func $axpy (param $row i32) (param $out i32) (param $rowBytes i32) (param $coef v128)
    (local $f i32) (local $o i32) (local $yv v128)
    (local.set $o (local.get $out))
    (block $axpyDone
      (loop $axpy
        (br_if $axpyDone (i32.ge_s (local.get $f) (local.get $rowBytes)))
        (local.set $yv (v128.load (i32.add (local.get $row) (local.get $f))))
        (v128.store (local.get $o)
          (f64x2.add (v128.load (local.get $o)) (f64x2.mul (local.get $coef) (f64x2.promote_low_f32x4 (local.get $yv)))))
        (v128.store offset=16 (local.get $o)
          (f64x2.add (v128.load offset=16 (local.get $o))
            (f64x2.mul (local.get $coef) (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $yv) (local.get $yv))))))
        (local.set $f (i32.add (local.get $f) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $axpy))))
  (func $hsum (param $a v128) (result f64)
    (f64.add
      (f64.add (f64.promote_f32 (f32x4.extract_lane 0 (local.get $a))) (f64.promote_f32 (f32x4.extract_lane 1 (local.get $a))))
      (f64.add (f64.promote_f32 (f32x4.extract_lane 2 (local.get $a))) (f64.promote_f32 (f32x4.extract_lane 3 (local.get $a))))))
  (func $rowAt (param $y i32) (param $idx i32) (param $n i32) (param $end i32) (param $rowBytes i32) (param $fallback i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (local.get $end))
      (then (i32.add (local.get $y) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $n) (i32.const 2)))) (local.get $rowBytes))))
      (else (local.get $fallback))))
  (func $finish (param $row i32) (param $conf i32) (param $n i32) (param $end i32) (param $out i32) (param $rowBytes i32) (param $acc v128) (param $s0 f64) (param $s1 f64)
    (local $c f64)
    (if (i32.lt_s (local.get $n) (local.get $end))
      (then
        (local.set $c (f64.promote_f32 (f32.load (i32.add (local.get $conf) (i32.shl (local.get $n) (i32.const 2))))))
        (call $axpy (local.get $row) (local.get $out) (local.get $rowBytes)
          (f64x2.splat (f64.add (f64.mul (local.get $s0) (local.get $c))
            (f64.mul (f64.mul (local.get $s1) (f64.sub (local.get $c) (f64.const 1))) (call $hsum (local.get $acc)))))))))
;; The coefficient of non-zero n in implicitPass: s0·c + s1·(c − 1)·(yₙ·v), with c its confidence.
  (func $coefOf (param $conf i32) (param $n i32) (param $acc v128) (param $s0 f64) (param $s1 f64) (result v128)
    (local $c f64)
    (local.set $c (f64.promote_f32 (f32.load (i32.add (local.get $conf) (i32.shl (local.get $n) (i32.const 2))))))
    (f64x2.splat (f64.add (f64.mul (local.get $s0) (local.get $c))
      (f64.mul (f64.mul (local.get $s1) (f64.sub (local.get $c) (f64.const 1))) (call $hsum (local.get $acc))))))
  ;; out += cA·a, then cB·b, cC·c, cD·d, in one pass over out: the same sums in the same order as
  ;; four $axpy calls (bit for bit), with out loaded and stored once instead of four times.
  (func $axpy4 (param $a i32) (param $b i32) (param $c i32) (param $d i32) (param $out i32) (param $rowBytes i32)
    (param $cA v128) (param $cB v128) (param $cC v128) (param $cD v128)
    (local $f i32) (local $o i32) (local $lo v128) (local $hi v128) (local $yv v128)
    (local.set $o (local.get $out))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_s (local.get $f) (local.get $rowBytes)))
        (local.set $lo (v128.load (local.get $o)))
        (local.set $hi (v128.load offset=16 (local.get $o)))
        (local.set $yv (v128.load (i32.add (local.get $a) (local.get $f))))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $cA) (f64x2.promote_low_f32x4 (local.get $yv)))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $cA) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $yv) (local.get $yv))))))
        (local.set $yv (v128.load (i32.add (local.get $b) (local.get $f))))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $cB) (f64x2.promote_low_f32x4 (local.get $yv)))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $cB) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $yv) (local.get $yv))))))
        (local.set $yv (v128.load (i32.add (local.get $c) (local.get $f))))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $cC) (f64x2.promote_low_f32x4 (local.get $yv)))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $cC) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $yv) (local.get $yv))))))
        (local.set $yv (v128.load (i32.add (local.get $d) (local.get $f))))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $cD) (f64x2.promote_low_f32x4 (local.get $yv)))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $cD) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $yv) (local.get $yv))))))
        (v128.store (local.get $o) (local.get $lo))
        (v128.store offset=16 (local.get $o) (local.get $hi))
        (local.set $f (i32.add (local.get $f) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $cols))))
;; out += cA·a + cB·b + cC·c + cD·d with the four-row sum in float32 lanes and only that sum widened
  ;; to float64 (the sweeps' CG steps, whose B·p is float32 too): half the float64 work of $axpy4.
  (func $axpy4f (param $a i32) (param $b i32) (param $c i32) (param $d i32) (param $out i32) (param $rowBytes i32)
    (param $cA v128) (param $cB v128) (param $cC v128) (param $cD v128)
    (local $f i32) (local $o i32) (local $sum v128) (local $wA v128) (local $wB v128) (local $wC v128) (local $wD v128)
    (local.set $wA (f32x4.splat (f32.demote_f64 (f64x2.extract_lane 0 (local.get $cA)))))
    (local.set $wB (f32x4.splat (f32.demote_f64 (f64x2.extract_lane 0 (local.get $cB)))))
    (local.set $wC (f32x4.splat (f32.demote_f64 (f64x2.extract_lane 0 (local.get $cC)))))
    (local.set $wD (f32x4.splat (f32.demote_f64 (f64x2.extract_lane 0 (local.get $cD)))))
    (local.set $o (local.get $out))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_s (local.get $f) (local.get $rowBytes)))
        (local.set $sum (f32x4.add
          (f32x4.add (f32x4.mul (local.get $wA) (v128.load (i32.add (local.get $a) (local.get $f))))
                     (f32x4.mul (local.get $wB) (v128.load (i32.add (local.get $b) (local.get $f)))))
          (f32x4.add (f32x4.mul (local.get $wC) (v128.load (i32.add (local.get $c) (local.get $f))))
                     (f32x4.mul (local.get $wD) (v128.load (i32.add (local.get $d) (local.get $f)))))))
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.promote_low_f32x4 (local.get $sum))))
        (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $sum) (local.get $sum)))))
        (local.set $f (i32.add (local.get $f) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $cols))))
  (func (export "implicitPass")
    (param $y i32) (param $k i32) (param $idx i32) (param $conf i32) (param $start i32) (param $end i32)
    (param $v i32) (param $out i32) (param $s0 f64) (param $s1 f64) (param $sums32 i32)
    (local $n i32) (local $rowA i32) (local $rowB i32) (local $rowC i32) (local $rowD i32) (local $f i32) (local $rowBytes i32)
    (local $accA v128) (local $accB v128) (local $accC v128) (local $accD v128) (local $vv v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $n (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $n) (local.get $end)))
        (local.set $rowA (call $rowAt (local.get $y) (local.get $idx) (local.get $n) (local.get $end) (local.get $rowBytes) (i32.const 0)))
        (local.set $rowB (call $rowAt (local.get $y) (local.get $idx) (i32.add (local.get $n) (i32.const 1)) (local.get $end) (local.get $rowBytes) (local.get $rowA)))
        (local.set $rowC (call $rowAt (local.get $y) (local.get $idx) (i32.add (local.get $n) (i32.const 2)) (local.get $end) (local.get $rowBytes) (local.get $rowA)))
        (local.set $rowD (call $rowAt (local.get $y) (local.get $idx) (i32.add (local.get $n) (i32.const 3)) (local.get $end) (local.get $rowBytes) (local.get $rowA)))
        (local.set $accA (v128.const f32x4 0 0 0 0))
        (local.set $accB (v128.const f32x4 0 0 0 0))
        (local.set $accC (v128.const f32x4 0 0 0 0))
        (local.set $accD (v128.const f32x4 0 0 0 0))
        (local.set $f (i32.const 0))
        (block $dotDone
          (loop $dot
            (br_if $dotDone (i32.ge_s (local.get $f) (local.get $rowBytes)))
            (local.set $vv (v128.load (i32.add (local.get $v) (local.get $f))))
            (local.set $accA (f32x4.add (local.get $accA) (f32x4.mul (v128.load (i32.add (local.get $rowA) (local.get $f))) (local.get $vv))))
            (local.set $accB (f32x4.add (local.get $accB) (f32x4.mul (v128.load (i32.add (local.get $rowB) (local.get $f))) (local.get $vv))))
            (local.set $accC (f32x4.add (local.get $accC) (f32x4.mul (v128.load (i32.add (local.get $rowC) (local.get $f))) (local.get $vv))))
            (local.set $accD (f32x4.add (local.get $accD) (f32x4.mul (v128.load (i32.add (local.get $rowD) (local.get $f))) (local.get $vv))))
            (local.set $f (i32.add (local.get $f) (i32.const 16)))
            (br $dot)))
        (if (i32.lt_s (i32.add (local.get $n) (i32.const 3)) (local.get $end))
          (then
            (if (local.get $sums32)
              (then
                (call $axpy4f (local.get $rowA) (local.get $rowB) (local.get $rowC) (local.get $rowD) (local.get $out) (local.get $rowBytes)
                  (call $coefOf (local.get $conf) (local.get $n) (local.get $accA) (local.get $s0) (local.get $s1))
                  (call $coefOf (local.get $conf) (i32.add (local.get $n) (i32.const 1)) (local.get $accB) (local.get $s0) (local.get $s1))
                  (call $coefOf (local.get $conf) (i32.add (local.get $n) (i32.const 2)) (local.get $accC) (local.get $s0) (local.get $s1))
                  (call $coefOf (local.get $conf) (i32.add (local.get $n) (i32.const 3)) (local.get $accD) (local.get $s0) (local.get $s1))))
              (else
                (call $axpy4 (local.get $rowA) (local.get $rowB) (local.get $rowC) (local.get $rowD) (local.get $out) (local.get $rowBytes)
                  (call $coefOf (local.get $conf) (local.get $n) (local.get $accA) (local.get $s0) (local.get $s1))
                  (call $coefOf (local.get $conf) (i32.add (local.get $n) (i32.const 1)) (local.get $accB) (local.get $s0) (local.get $s1))
                  (call $coefOf (local.get $conf) (i32.add (local.get $n) (i32.const 2)) (local.get $accC) (local.get $s0) (local.get $s1))
                  (call $coefOf (local.get $conf) (i32.add (local.get $n) (i32.const 3)) (local.get $accD) (local.get $s0) (local.get $s1))))))
          (else
            (call $finish (local.get $rowA) (local.get $conf) (local.get $n) (local.get $end) (local.get $out) (local.get $rowBytes) (local.get $accA) (local.get $s0) (local.get $s1))
            (call $finish (local.get $rowB) (local.get $conf) (i32.add (local.get $n) (i32.const 1)) (local.get $end) (local.get $out) (local.get $rowBytes) (local.get $accB) (local.get $s0) (local.get $s1))
            (call $finish (local.get $rowC) (local.get $conf) (i32.add (local.get $n) (i32.const 2)) (local.get $end) (local.get $out) (local.get $rowBytes) (local.get $accC) (local.get $s0) (local.get $s1))
            (call $finish (local.get $rowD) (local.get $conf) (i32.add (local.get $n) (i32.const 3)) (local.get $end) (local.get $out) (local.get $rowBytes) (local.get $accD) (local.get $s0) (local.get $s1))))
        (local.set $n (i32.add (local.get $n) (i32.const 4)))
        (br $rows))))

  ;; out = A v for a k × k float64 matrix A (row-major), k even. Four rows at a time share each
  ;; load of v, and their sums are reduced pairwise by shuffles into two stores: one row at a time
  ;; spent as much on loads of v and horizontal sums as on the products (CG's B·p, once a step).
  (func (export "matVec64") (param $a i32) (param $v i32) (param $out i32) (param $k i32)
    (local $i i32) (local $f i32) (local $rowBytes i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $vv v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $r0 (local.get $a))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $k)))
        (local.set $r1 (i32.add (local.get $r0) (local.get $rowBytes)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $rowBytes)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $rowBytes)))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0))
        (local.set $a3 (v128.const f64x2 0 0))
        (local.set $f (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_s (local.get $f) (local.get $rowBytes)))
            (local.set $vv (v128.load (i32.add (local.get $v) (local.get $f))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (i32.add (local.get $r0) (local.get $f))) (local.get $vv))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load (i32.add (local.get $r1) (local.get $f))) (local.get $vv))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (v128.load (i32.add (local.get $r2) (local.get $f))) (local.get $vv))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (v128.load (i32.add (local.get $r3) (local.get $f))) (local.get $vv))))
            (local.set $f (i32.add (local.get $f) (i32.const 16)))
            (br $cols)))
        ;; (a0ₗ + a0ₕ, a1ₗ + a1ₕ), then the same of a2 and a3.
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
        (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3))))
        (local.set $r0 (i32.add (local.get $r3) (local.get $rowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $quads)))
    (block $restDone
      (loop $rest
        (br_if $restDone (i32.ge_s (local.get $i) (local.get $k)))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $f (i32.const 0))
        (block $lastDone
          (loop $last
            (br_if $lastDone (i32.ge_s (local.get $f) (local.get $rowBytes)))
            (local.set $a0 (f64x2.add (local.get $a0)
              (f64x2.mul (v128.load (i32.add (local.get $r0) (local.get $f))) (v128.load (i32.add (local.get $v) (local.get $f))))))
            (local.set $f (i32.add (local.get $f) (i32.const 16)))
            (br $last)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
        (local.set $r0 (i32.add (local.get $r0) (local.get $rowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rest))))

  ;; out += the upper triangle (and a few entries left of the diagonal, which callers overwrite
  ;; by mirroring) of Σ yᵣ yᵣᵀ over rows start..end of y (float32, k a multiple of 4), float64 out.
  ;; Four rows at a time over four columns at a time: 16 multiply-adds per load/store pair of out.
  ;; Callers pass end − start a multiple of 4 and do the remainder themselves.
  (func (export "gramQuads") (param $y i32) (param $k i32) (param $start i32) (param $end i32) (param $out i32)
    (local $r i32) (local $i i32) (local $j i32) (local $rowBytes i32) (local $o0 i32) (local $o i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128) (local $lo v128) (local $hi v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $r (local.get $start))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.gt_s (i32.add (local.get $r) (i32.const 4)) (local.get $end)))
        (local.set $o0 (i32.add (local.get $y) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $i (i32.const 0))
        (block $iDone
          (loop $is
            (br_if $iDone (i32.ge_s (local.get $i) (local.get $k)))
            (local.set $a0 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $o0) (i32.shl (local.get $i) (i32.const 2)))))))
            (local.set $a1 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (i32.add (local.get $o0) (local.get $rowBytes)) (i32.shl (local.get $i) (i32.const 2)))))))
            (local.set $a2 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (i32.add (local.get $o0) (i32.shl (local.get $rowBytes) (i32.const 1))) (i32.shl (local.get $i) (i32.const 2)))))))
            (local.set $a3 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (i32.add (local.get $o0) (i32.mul (local.get $rowBytes) (i32.const 3))) (i32.shl (local.get $i) (i32.const 2)))))))
            ;; columns from i rounded down to a multiple of 4
            (local.set $j (i32.and (local.get $i) (i32.const -4)))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $k)) (local.get $j)) (i32.const 3))))
            (block $jDone
              (loop $js
                (br_if $jDone (i32.ge_s (local.get $j) (local.get $k)))
                (local.set $y0 (v128.load (i32.add (local.get $o0) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $y1 (v128.load (i32.add (i32.add (local.get $o0) (local.get $rowBytes)) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $y2 (v128.load (i32.add (i32.add (local.get $o0) (i32.shl (local.get $rowBytes) (i32.const 1))) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $y3 (v128.load (i32.add (i32.add (local.get $o0) (i32.mul (local.get $rowBytes) (i32.const 3))) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $lo (f64x2.add
                  (f64x2.add (f64x2.mul (local.get $a0) (f64x2.promote_low_f32x4 (local.get $y0)))
                             (f64x2.mul (local.get $a1) (f64x2.promote_low_f32x4 (local.get $y1))))
                  (f64x2.add (f64x2.mul (local.get $a2) (f64x2.promote_low_f32x4 (local.get $y2)))
                             (f64x2.mul (local.get $a3) (f64x2.promote_low_f32x4 (local.get $y3))))))
                (local.set $hi (f64x2.add
                  (f64x2.add (f64x2.mul (local.get $a0) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y0) (local.get $y0))))
                             (f64x2.mul (local.get $a1) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y1) (local.get $y1)))))
                  (f64x2.add (f64x2.mul (local.get $a2) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y2) (local.get $y2))))
                             (f64x2.mul (local.get $a3) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y3) (local.get $y3)))))))
                (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (local.get $lo)))
                (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (local.get $hi)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (local.set $o (i32.add (local.get $o) (i32.const 32)))
                (br $js)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $is)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rows))))

  (func $hsum32 (param $a v128) (result f32)
    (f32.demote_f64 (call $hsum (local.get $a))))

  ;; out[b·rows + r] = y[r] · x[b] for every row r of y and each of `count` vectors x[b] (float32,
  ;; k a multiple of 4): many users' scores from one pass over the item factors, which for a large
  ;; catalogue do not fit in cache (one pass per user would be bound by memory bandwidth).
  (func (export "matMat32") (param $y i32) (param $rows i32) (param $k i32) (param $x i32) (param $count i32) (param $out i32)
    (local $r i32) (local $b i32) (local $f i32) (local $rowBytes i32) (local $row i32) (local $xb i32)
    (local $a0 v128) (local $a1 v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $row (local.get $y))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $b (i32.const 0))
        (local.set $xb (local.get $x))
        (block $bDone
          (loop $bs
            (br_if $bDone (i32.ge_s (local.get $b) (local.get $count)))
            (local.set $a0 (v128.const f32x4 0 0 0 0))
            (local.set $a1 (v128.const f32x4 0 0 0 0))
            (local.set $f (i32.const 0))
            (block $pairsDone
              (loop $pairs
                (br_if $pairsDone (i32.gt_s (i32.add (local.get $f) (i32.const 32)) (local.get $rowBytes)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $row) (local.get $f))) (v128.load (i32.add (local.get $xb) (local.get $f))))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (i32.add (local.get $row) (local.get $f))) (v128.load offset=16 (i32.add (local.get $xb) (local.get $f))))))
                (local.set $f (i32.add (local.get $f) (i32.const 32)))
                (br $pairs)))
            (if (i32.lt_s (local.get $f) (local.get $rowBytes))
              (then (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $row) (local.get $f))) (v128.load (i32.add (local.get $xb) (local.get $f))))))))
            (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $rows)) (local.get $r)) (i32.const 2)))
              (call $hsum32 (f32x4.add (local.get $a0) (local.get $a1))))
            (local.set $xb (i32.add (local.get $xb) (local.get $rowBytes)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bs)))
        (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; out[f] += Σⱼ w[j] · a[idx[j]·stride + f] for f < stride (float32 rows `stride` floats apart,
  ;; stride a multiple of 4): a weighted sum of scattered rows of a dense matrix, as the content
  ;; model's scores are the history's rows of the item × item cosine matrix. Two rows per pass over
  ;; out halve its loads and stores; each pass adds (w0·r0 + w1·r1) to out.
  (func (export "combineRows32") (param $a i32) (param $stride i32) (param $idx i32) (param $w i32) (param $count i32) (param $out i32)
    (local $j i32) (local $f i32) (local $rowBytes i32) (local $r0 i32) (local $r1 i32) (local $c0 v128) (local $c1 v128)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 2)))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_s (i32.add (local.get $j) (i32.const 1)) (local.get $count)))
        (local.set $r0 (i32.add (local.get $a) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $j) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $a) (i32.mul (i32.load offset=4 (i32.add (local.get $idx) (i32.shl (local.get $j) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $c0 (f32x4.splat (f32.load (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $c1 (f32x4.splat (f32.load offset=4 (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $f (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_s (local.get $f) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $out) (local.get $f))
              (f32x4.add (v128.load (i32.add (local.get $out) (local.get $f)))
                (f32x4.add
                  (f32x4.mul (local.get $c0) (v128.load (i32.add (local.get $r0) (local.get $f))))
                  (f32x4.mul (local.get $c1) (v128.load (i32.add (local.get $r1) (local.get $f)))))))
            (local.set $f (i32.add (local.get $f) (i32.const 16)))
            (br $cols)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_s (local.get $j) (local.get $count))
      (then
        (local.set $r0 (i32.add (local.get $a) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $j) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $c0 (f32x4.splat (f32.load (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $f (i32.const 0))
        (block $lastDone
          (loop $last
            (br_if $lastDone (i32.ge_s (local.get $f) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $out) (local.get $f))
              (f32x4.add (v128.load (i32.add (local.get $out) (local.get $f)))
                (f32x4.mul (local.get $c0) (v128.load (i32.add (local.get $r0) (local.get $f))))))
            (local.set $f (i32.add (local.get $f) (i32.const 16)))
            (br $last))))))

  ;; out[j] = y[idx[j]] · x for j < count (float32 rows of k floats, k a multiple of 4; x an address
  ;; in the same memory, e.g. another row of y): the cosines behind a factor model's reasons, a
  ;; recommended item against each of the listener's items.
  (func (export "gatherDots32") (param $y i32) (param $k i32) (param $idx i32) (param $count i32) (param $x i32) (param $out i32)
    (local $j i32) (local $f i32) (local $rowBytes i32) (local $row i32) (local $a0 v128) (local $a1 v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $j) (local.get $count)))
        (local.set $row (i32.add (local.get $y) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $j) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $a0 (v128.const f32x4 0 0 0 0))
        (local.set $a1 (v128.const f32x4 0 0 0 0))
        (local.set $f (i32.const 0))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.gt_s (i32.add (local.get $f) (i32.const 32)) (local.get $rowBytes)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $row) (local.get $f))) (v128.load (i32.add (local.get $x) (local.get $f))))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (i32.add (local.get $row) (local.get $f))) (v128.load offset=16 (i32.add (local.get $x) (local.get $f))))))
            (local.set $f (i32.add (local.get $f) (i32.const 32)))
            (br $pairs)))
        (if (i32.lt_s (local.get $f) (local.get $rowBytes))
          (then (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $row) (local.get $f))) (v128.load (i32.add (local.get $x) (local.get $f))))))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
          (call $hsum32 (f32x4.add (local.get $a0) (local.get $a1))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows))))

  ;; out[r] = y[r] · x for every row r of y (float32, k a multiple of 4): one listener's scores.
  ;; Four rows at a time share each load of x, and their four sums are reduced together by two
  ;; rounds of shuffles into one store (a horizontal sum per row cost as much as its products).
  (func (export "matVec32") (param $y i32) (param $rows i32) (param $k i32) (param $x i32) (param $out i32)
    (local $r i32) (local $f i32) (local $rowBytes i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $xv v128) (local $t0 v128) (local $t1 v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $r0 (local.get $y))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_s (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $r1 (i32.add (local.get $r0) (local.get $rowBytes)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $rowBytes)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $rowBytes)))
        (local.set $a0 (v128.const f32x4 0 0 0 0))
        (local.set $a1 (v128.const f32x4 0 0 0 0))
        (local.set $a2 (v128.const f32x4 0 0 0 0))
        (local.set $a3 (v128.const f32x4 0 0 0 0))
        (local.set $f (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_s (local.get $f) (local.get $rowBytes)))
            (local.set $xv (v128.load (i32.add (local.get $x) (local.get $f))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $r0) (local.get $f))) (local.get $xv))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load (i32.add (local.get $r1) (local.get $f))) (local.get $xv))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load (i32.add (local.get $r2) (local.get $f))) (local.get $xv))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load (i32.add (local.get $r3) (local.get $f))) (local.get $xv))))
            (local.set $f (i32.add (local.get $f) (i32.const 16)))
            (br $cols)))
        ;; (a0₀+a0₂, a0₁+a0₃, a1₀+a1₂, a1₁+a1₃), the same of a2 and a3, then the four row totals.
        (local.set $t0 (f32x4.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
        (local.set $t1 (f32x4.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3))))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
          (f32x4.add
            (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $t0) (local.get $t1))
            (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $t0) (local.get $t1))))
        (local.set $r0 (i32.add (local.get $r3) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quads)))
    (block $restDone
      (loop $rest
        (br_if $restDone (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $a0 (v128.const f32x4 0 0 0 0))
        (local.set $f (i32.const 0))
        (block $lastDone
          (loop $last
            (br_if $lastDone (i32.ge_s (local.get $f) (local.get $rowBytes)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $r0) (local.get $f))) (v128.load (i32.add (local.get $x) (local.get $f))))))
            (local.set $f (i32.add (local.get $f) (i32.const 16)))
            (br $last)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))) (call $hsum32 (local.get $a0)))
        (local.set $r0 (i32.add (local.get $r0) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rest))))

  ;; out[r] = a[r] · v for the k rows of a k × k float32 matrix a (k a multiple of 4), into float64
  ;; out: CG's B·p in training sweeps, where B and p are rounded to float32 as `implicit` keeps them
  ;; (twice the lanes of the float64 kernel). Four rows a pass, reduced by shuffles as in matVec32.
  (func (export "matVec32to64") (param $a i32) (param $v i32) (param $out i32) (param $k i32)
    (local $r i32) (local $f i32) (local $rowBytes i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $xv v128) (local $t0 v128) (local $t1 v128) (local $sums v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $r0 (local.get $a))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_s (i32.add (local.get $r) (i32.const 4)) (local.get $k)))
        (local.set $r1 (i32.add (local.get $r0) (local.get $rowBytes)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $rowBytes)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $rowBytes)))
        (local.set $a0 (v128.const f32x4 0 0 0 0))
        (local.set $a1 (v128.const f32x4 0 0 0 0))
        (local.set $a2 (v128.const f32x4 0 0 0 0))
        (local.set $a3 (v128.const f32x4 0 0 0 0))
        (local.set $f (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_s (local.get $f) (local.get $rowBytes)))
            (local.set $xv (v128.load (i32.add (local.get $v) (local.get $f))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $r0) (local.get $f))) (local.get $xv))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load (i32.add (local.get $r1) (local.get $f))) (local.get $xv))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load (i32.add (local.get $r2) (local.get $f))) (local.get $xv))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load (i32.add (local.get $r3) (local.get $f))) (local.get $xv))))
            (local.set $f (i32.add (local.get $f) (i32.const 16)))
            (br $cols)))
        (local.set $t0 (f32x4.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
        (local.set $t1 (f32x4.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3))))
        (local.set $sums (f32x4.add
          (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $t0) (local.get $t1))
          (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $t0) (local.get $t1))))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))) (f64x2.promote_low_f32x4 (local.get $sums)))
        (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $sums) (local.get $sums))))
        (local.set $r0 (i32.add (local.get $r3) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quads))))

  ;; out[f] += Σⱼ coef[j] · g[idx[j]·k + f] for j < count (float32 rows of k floats, k a multiple of 4;
  ;; float64 coefficients and out): the k-length sums of a Woodbury row solve — h = Σ cᵢ gᵢ and the
  ;; correction Σ −sᵢtᵢ gᵢ — which in scalar code took as long as the rest of the solve.
  (func (export "rowsAxpy64") (param $g i32) (param $k i32) (param $idx i32) (param $coef i32) (param $count i32) (param $out i32)
    (local $j i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $j) (local.get $count)))
        (call $axpy
          (i32.add (local.get $g) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $j) (i32.const 2)))) (local.get $rowBytes)))
          (local.get $out) (local.get $rowBytes)
          (f64x2.splat (f64.load (i32.add (local.get $coef) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows))))
)
