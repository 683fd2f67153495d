#!/usr/bin/env python3
"""The exact values tests/test_accuracy.cpp compares gradgen's code with.

Each derivative is worked out with mpmath at 60 digits at the given double
inputs and rounded to double (repr gives the shortest string that reads back
as that double). Run it to check or extend the test's tables:

    python3 tests/accuracy_reference.py

Needs mpmath (Debian: python3-mpmath). Not part of the test run: the tables
in the test are its output, so the tests need no Python.
"""
from mpmath import mp, mpf, sqrt, exp, log, floor, ceil

mp.dps = 60


def d(x):
    return mpf(float(x))


def show(program, point, values, extra=""):
    print('{"%s", {%s}, {%s}%s},' % (program, ", ".join(repr(float(x)) for x in point),
                                      ", ".join(repr(float(v)) for v in values), extra))


def gradients():
    print("// gradients (first table)")
    for a, b in [(1e200, 1e200), (1e-200, 3e-200), (1e160, 1e-160), (0.3, -0.7), (-2.5, -1e-3)]:
        A, B = d(a), d(b)
        show("atan2(a, b)", (a, b), (B / (A * A + B * B), -A / (A * A + B * B)))
    for a in [1e200, -3e160, 0.5, -2.0]:
        show("asinh(a)", (a,), (1 / sqrt(d(a) ** 2 + 1),))
    for a in [1e200, 1.5, 1 + 2 ** -30, 3e154]:
        show("acosh(a)", (a,), (1 / sqrt(d(a) ** 2 - 1),))
    for a in [0.999999, 1 - 2 ** -30, -0.9999, 0.3]:
        A = d(a)
        show("asin(a)", (a,), (1 / sqrt(1 - A * A),))
        show("acos(a)", (a,), (-1 / sqrt(1 - A * A),))
        show("atanh(a)", (a,), (1 / (1 - A * A),))
    for a in [-40.0, -10.0, -5.0, 1e-10, 3.0, -700.0]:
        show("expm1(a)", (a,), (exp(d(a)),))
    for a, b in [(1.0, 0.1), (2.0, 0.2), (7.5, 2.0), (-7.5, 2.0), (5.3, -1.1)]:
        q = d(a) / d(b)
        show("fmod(a, b)", (a, b), (1, -(floor(q) if q >= 0 else ceil(q))))
    for a, b in [(2.0, 0.0), (3.0, 2.0)]:  # pow(a, b); (0, 0) and (0, 2) are by the rules
        A, B = d(a), d(b)
        show("pow(a, b)", (a, b), (B * A ** (B - 1), A ** B * log(A)))
    A = d(1e-10)
    show("1e300 * hypot(a, b)", (1e-10, 1e-10), (mpf(1e300) * A / sqrt(2 * A * A),) * 2)
    for a, b, c in [(3.0, 4.0, 12.0), (1e300, 2e300, 2e300), (1e-300, 1e-300, 3e-300)]:
        A, B, C = d(a), d(b), d(c)
        h = sqrt(A * A + B * B + C * C)
        show("hypot(a, b, c)", (a, b, c), (A / h, B / h, C / h))


def powers():
    print("// integer powers: gradient, then the value")
    for k in [4, 5, 6, 7, 8, -3, -4, -5, -6, -7, -8, 9, 12]:
        for a in [1.1, -3.3, 0.7]:
            A = d(a)
            show("a ^ %d" % k if k > 0 else "a ^ (%d)" % k, (a,), (k * A ** (k - 1),),
                 ", " + repr(float(A ** k)))
    print("// a ^ (-8) * 1e300 at 4e38:", repr(float(d(4e38) ** -8 * mpf(1e300))))


def hessians():
    print("// Hessians, row-major")
    for a, b in [(1e200, 1e200), (1e-200, 1e-200), (3.0, -4.0)]:
        A, B = d(a), d(b)
        r3 = sqrt(A * A + B * B) ** 3
        show("hypot(a, b)", (a, b), (B * B / r3, -A * B / r3, -A * B / r3, A * A / r3))
    for a, b in [(1e100, 2e100), (0.3, -0.7), (1e-100, 3e-100)]:
        A, B = d(a), d(b)
        r4 = (A * A + B * B) ** 2
        show("atan2(a, b)", (a, b), (-2 * A * B / r4, (A * A - B * B) / r4, (A * A - B * B) / r4, 2 * A * B / r4))
    for a in [1e100, 0.5]:
        show("asinh(a)", (a,), (-d(a) / (d(a) ** 2 + 1) ** mpf(1.5),))
    for a in [1e100, 1.5]:
        show("acosh(a)", (a,), (-d(a) / (d(a) ** 2 - 1) ** mpf(1.5),))


if __name__ == "__main__":
    gradients()
    powers()
    hessians()
