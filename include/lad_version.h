/* lad_version.h - the program version and the on-disk format versions it reads and writes. */
#ifndef LAD_VERSION_H
#define LAD_VERSION_H

#define LAD_VERSION "0.1.0"

/* Bumped whenever the layout of features.h5 changes; readers refuse other versions. */
#define LAD_FEATURES_FORMAT_VERSION 1

/* Bumped whenever the layout of a model file changes; detect refuses other versions. */
#define LAD_MODEL_FORMAT_VERSION 1

#endif
