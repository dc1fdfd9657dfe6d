"""Vietnamese knowledge: normalisation, folding, syllables, segmentation, abbreviations."""
