/*
 * qstat.c - the standard normal quantile and the Jackson-Mudholkar Q-statistic threshold.
 *
 * Both are pure local functions of their arguments: every rank evaluates them on the same replicated
 * eigenvalues and gets the same bits, so no rank ever needs another rank's threshold.
 */
#include "lad_qstat.h"

#include <math.h>

/*
 * Coefficients of Peter Acklam's rational approximations (2003) of Phi^-1: a/b for the central region
 * |p - 0.5| <= 0.5 - P_LOW, c/d for the tails. Their relative error is about 1.15e-9, which the Halley
 * step below turns into full double precision.
 */
static const double acklam_a[6] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
static const double acklam_b[5] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01,  -1.328068155288572e+01};
static const double acklam_c[6] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
static const double acklam_d[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
#define P_LOW 0.02425

/*
 * Phi^-1(p) for 0 < p <= 0.5 only. The upper half is obtained by symmetry in lad_normal_quantile:
 * 1 - p is exact for p in [0.5, 1) (Sterbenz), so working in the lower tail never loses the digits
 * that a direct evaluation near p = 1 would (0.999 carries only ~13 significant digits of 1 - p).
 */
static double lower_quantile(double p)
{
    double x;
    if (p < P_LOW) {
        /* Tail: rational function of sqrt(-2 ln p). */
        double q = sqrt(-2.0 * log(p));
        x = (((((acklam_c[0] * q + acklam_c[1]) * q + acklam_c[2]) * q + acklam_c[3]) * q + acklam_c[4]) * q +
             acklam_c[5]) /
            ((((acklam_d[0] * q + acklam_d[1]) * q + acklam_d[2]) * q + acklam_d[3]) * q + 1.0);
    } else {
        /* Central region: odd rational function of p - 0.5. */
        double q = p - 0.5, r = q * q;
        x = (((((acklam_a[0] * r + acklam_a[1]) * r + acklam_a[2]) * r + acklam_a[3]) * r + acklam_a[4]) * r +
             acklam_a[5]) *
            q /
            (((((acklam_b[0] * r + acklam_b[1]) * r + acklam_b[2]) * r + acklam_b[3]) * r + acklam_b[4]) * r + 1.0);
    }
    /*
     * One Halley step on f(x) = Phi(x) - p, with Phi from erfc (accurate in the lower tail, where
     * -x / sqrt(2) > 0). Halley converges cubically, so 1e-9 becomes ~1e-16. For p so small that
     * exp(x^2 / 2) overflows (p below ~1e-307) the unrefined value is returned.
     */
    double e = 0.5 * erfc(-x / sqrt(2.0)) - p;
    double u = e * sqrt(2.0 * M_PI) * exp(0.5 * x * x);
    if (isfinite(u))
        x = x - u / (1.0 + 0.5 * x * u);
    return x;
}

double lad_normal_quantile(double p)
{
    /* Out-of-domain inputs map to the limits instead of NaN arithmetic deep inside. */
    if (isnan(p))
        return NAN;
    if (p <= 0.0)
        return -INFINITY;
    if (p >= 1.0)
        return INFINITY;
    if (p > 0.5)
        return -lower_quantile(1.0 - p);
    return lower_quantile(p);
}

/*
 * Q_alpha of Jackson and Mudholkar (1979): the power transform (Q / theta1)^h0 is approximately normal
 * with mean 1 + theta2 h0 (h0 - 1) / theta1^2 and standard deviation h0 sqrt(2 theta2) / theta1, so
 * the (1 - alpha) quantile of Q is theta1 times [mean + c_alpha sd]^(1 / h0).
 *
 * One guard that the textbook form lacks, needed on real log data, whose residual spectrum is often one
 * moderate eigenvalue and a long tail of tiny ones: h0 = 1 - 2 theta1 theta3 / (3 theta2^2) is at most
 * 1/3 but unbounded below, and for h0 <= 0 the formula breaks (the textbook sqrt(2 theta2 h0^2) then
 * picks the wrong tail and gives thresholds below the mean SPE; keeping the sign of h0 instead gives
 * thresholds far too high: 11.2 against a simulated 7.6 for lambda = {1, 1000 x 1e-3}, alpha 0.01).
 * As h0 -> 0+ the power transform tends to a logarithm, and Q_alpha to the finite log-normal limit
 *   theta1 exp(c_alpha sqrt(2 theta2) / theta1 - theta2 / theta1^2),
 * which simulations of such spectra match within ~10% (8.07 against 7.6 above). So h0 is clamped at
 * 0 from below: h0 < 1e-6 uses that limit, which is also the fallback should the bracket not be
 * positive (impossible for 0 < h0 <= 1/3 and alpha < 0.5, kept for alpha outside that range).
 */
double lad_qstat_threshold(const double *lambda, int n, double alpha)
{
    /* theta_i over the residual spectrum; negative eigenvalues are round-off of zero variance. */
    double theta1 = 0.0, theta2 = 0.0, theta3 = 0.0;
    for (int j = 0; j < n; j++) {
        double l = lambda[j] > 0.0 ? lambda[j] : 0.0;
        theta1 += l;
        theta2 += l * l;
        theta3 += l * l * l;
    }
    /* No residual variance: the residual subspace is empty on the training data. */
    if (!(theta1 > 0.0) || !(theta2 > 0.0))
        return 0.0;

    double c = lad_normal_quantile(1.0 - alpha);
    double h0 = 1.0 - 2.0 * theta1 * theta3 / (3.0 * theta2 * theta2);
    double lognormal = theta1 * exp(c * sqrt(2.0 * theta2) / theta1 - theta2 / (theta1 * theta1));
    if (h0 < 1e-6)
        return lognormal;
    double bracket = 1.0 + c * h0 * sqrt(2.0 * theta2) / theta1 + theta2 * h0 * (h0 - 1.0) / (theta1 * theta1);
    if (!(bracket > 0.0))
        return lognormal;
    return theta1 * pow(bracket, 1.0 / h0);
}
