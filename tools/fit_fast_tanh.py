#!/usr/bin/env python3
"""Fits the odd polynomial that native/core/fast_math.h uses for tanh near zero.

tanh(x) = x + x^3 * P(x^2) on |x| <= LIMIT, P of degree DEG, fitted by weighted least squares on the relative
error (Chebyshev-spaced points), then printed as float literals. Run: python3 tools/fit_fast_tanh.py
"""
import numpy as np

LIMIT = 0.625
DEG = 4

t = np.cos(np.linspace(0, np.pi, 4001))  # Chebyshev points on [-1, 1]
x = (t + 1) / 2 * LIMIT
x = x[x > 1e-4]
y = (np.tanh(x) - x) / x**3  # target for P(x^2)
# relative error of tanh is error(P) * x^3 / tanh(x): weight rows by x^3 / tanh(x)
w = x**3 / np.tanh(x)
A = np.vstack([(x * x) ** k for k in range(DEG + 1)]).T
coef, *_ = np.linalg.lstsq(A * w[:, None], y * w, rcond=None)
approx = x + x**3 * (A @ coef)
print("max relative error (double arithmetic): %.3g" % np.max(np.abs(approx / np.tanh(x) - 1)))
for k, c in enumerate(coef):
    print("c%d = %.9ef" % (k, c))
