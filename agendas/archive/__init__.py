"""Archiefwet (issue 14, item 3): selectielijst classification per agenda dossier, archiefactiedatum,
destruction through a four-eyes list that leaves a record, and transfer packages (MDTO) for "bewaren"."""
