/* lad_version.h - the program version and the on-disk format versions it reads and writes. */
#ifndef LAD_VERSION_H
#define LAD_VERSION_H

#define LAD_VERSION "0.1.0"

/* Bumped whenever the layout of features.h5 changes; readers refuse other versions. Version 2: the
 * integrity header in the HDF5 user block (lad_h5.h). */
#define LAD_FEATURES_FORMAT_VERSION 2

/* Bumped whenever the layout of a model file changes; detect refuses other versions. Version 2: the
 * integrity header in the HDF5 user block (lad_h5.h). */
#define LAD_MODEL_FORMAT_VERSION 2

#endif
