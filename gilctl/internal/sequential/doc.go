// Package sequential decides, one observation at a time, on which side of
// a threshold the mean of a stream of measurements lies, and stops as soon
// as the answer is known — without the false verdicts that peeking after
// every run would otherwise bring.
//
// gilctl feeds it the logarithms of paired ratios (a serial run divided by
// the threaded run measured right after it, say), so that the mean is the
// log of the geometric-mean ratio and a threshold such as "at least 1.5x"
// becomes log(1.5).
//
// # The rule
//
// After n observations x_1..x_n, modelled as independent draws from a
// normal distribution of unknown mean μ and unknown variance σ², the
// e-value for "μ = θ" is the Bayes factor of the sequential t-test with a
// normal mixture over the standardized effect δ = (μ-θ)/σ and the
// scale-invariant (right Haar) prior dσ/σ on the nuisance:
//
//	E_n(θ) = Σ_k w_k (1+n·g_k)^(-1/2) · (1 - r·n·g_k/(1+n·g_k))^(-n/2),
//	r = n(x̄-θ)² / Σ(x_i-θ)²
//
// where g_k are prior variances of δ with weights w_k. Under μ = θ, E_n(θ)
// is a nonnegative martingale with E_1 = 1 for every σ (it is the
// likelihood ratio of the scale-invariant part of the data), so by Ville's
// inequality P(E_n(θ) ≥ 1/α for some n) ≤ α: the sets
//
//	C_n = {θ : E_n(θ) < 1/α}
//
// form a confidence sequence — with probability at least 1-α they contain
// μ at every n at once, however the number of observations is chosen. A
// cell may therefore be looked at after every run and stopped the moment
// its threshold leaves C_n; the running intersection of the C_n is still a
// valid interval.
//
// References: T. L. Lai, "On confidence sequences", Annals of Statistics
// 4(2):265–280, 1976 (confidence sequences for a normal mean with unknown
// variance from invariant mixtures); M. F. Pérez-Ortiz, T. Lardy, R. de
// Heide and P. D. Grünwald, "E-statistics, group invariance and anytime
// valid testing", Annals of Statistics 52(4), 2024 (the t-test Bayes
// factor with the right Haar prior as a test martingale); S. R. Howard,
// A. Ramdas, J. McAuliffe and J. Sekhon, "Time-uniform, nonparametric,
// nonasymptotic confidence sequences", Annals of Statistics 49(2), 2021
// (background and the name).
//
// The promise rests on the normal model of the observations; the
// simulation tests of this package measure the rate of confident wrong
// verdicts at the threshold both under it and under heavier-tailed and
// skewed noise, and Simulate lets any caller print that rate.
package sequential
