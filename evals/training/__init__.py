"""Training the learned answer judge (rag.answer.judge) from the public QA data alone: `make train-judge`."""
