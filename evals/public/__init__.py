"""Public QA data (SQuAD 2.0, TyDi QA GoldP) as a held-out test of the offline answer stage."""
