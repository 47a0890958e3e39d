/*
 * lad_qstat.h - the Q-statistic threshold of Jackson and Mudholkar (1979) for the squared prediction
 * error of PCA, as used by Xu et al. (SOSP'09):
 *   theta_i = sum_{j > k} lambda_j^i (i = 1, 2, 3), h0 = 1 - 2 theta_1 theta_3 / (3 theta_2^2),
 *   Q_alpha = theta_1 [ c_alpha sqrt(2 theta_2 h0^2) / theta_1 + 1 + theta_2 h0 (h0 - 1) / theta_1^2 ]^(1/h0),
 * with c_alpha the (1 - alpha) quantile of the standard normal distribution. h0 can be negative on
 * spectra with a long tail of small eigenvalues, where the formula breaks down; there (h0 < 1e-6) the
 * h0 -> 0 limit theta_1 exp(c_alpha sqrt(2 theta_2) / theta_1 - theta_2 / theta_1^2) is used.
 */
#ifndef LAD_QSTAT_H
#define LAD_QSTAT_H

/* Local. The standard normal quantile Phi^-1(p) for 0 < p < 1 (Acklam's algorithm with one Halley
 * refinement step: relative error below 1e-15). */
double lad_normal_quantile(double p);

/*
 * Local. Q_alpha for the residual eigenvalues lambda[0, n) (those past the k kept components). Tiny
 * negative eigenvalues (round-off) count as zero. Returns 0 when the residual variance is zero (any
 * residual is then anomalous).
 */
double lad_qstat_threshold(const double *lambda, int n, double alpha);

#endif
