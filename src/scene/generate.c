/* generate.c — the pseudo-random numbers behind `generate:` keys.
 *
 * xoshiro256** (Blackman and Vigna), seeded through splitmix64: small, fast,
 * and the same sequence on every machine and C library, which rand() is not. */
#include <stdint.h>

#include "loader.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t next(sk_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

void sk_rng_seed(sk_rng *rng, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&seed);
}

double sk_rng_uniform(sk_rng *rng)
{
    return (double)(next(rng) >> 11) * 0x1.0p-53; /* the top 53 bits: exact doubles */
}

double sk_rng_normal(sk_rng *rng)
{
    double sum = 0.0;
    for (int i = 0; i < 12; i++)
        sum += sk_rng_uniform(rng);
    return sum - 6.0;
}
