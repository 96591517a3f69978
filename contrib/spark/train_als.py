#!/usr/bin/env python3
"""Train Spark MLlib's implicit ALS on a `musicrec export parquet` folder and save the model.

    spark-submit contrib/spark/train_als.py EXPORT_DIR MODEL_DIR [--rank 100 --max-iter 10 --reg-param 0.1 --alpha 3]
    musicrec import-model spark MODEL_DIR --items EXPORT_DIR --regularization 0.1 --alpha 3

The ratings are the exported play counts as they are (confidence 1 + alpha * plays, as
ListenBrainz trains on listen counts); musicrec's fold-in of new listeners assumes the same, so
pass the same --reg-param and --alpha to `import-model` (Spark does not save them). See docs/spark.md.
"""
import argparse
import os

from pyspark.ml.recommendation import ALS
from pyspark.sql import SparkSession


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export_dir", help="folder written by `musicrec export parquet`")
    parser.add_argument("model_dir", help="where to save the ALSModel (replaced if it exists)")
    parser.add_argument("--rank", type=int, default=100, help="latent factors (default 100)")
    parser.add_argument("--max-iter", type=int, default=10, help="ALS sweeps (default 10)")
    parser.add_argument("--reg-param", type=float, default=0.1, help="regularization lambda (default 0.1)")
    parser.add_argument("--alpha", type=float, default=3.0, help="confidence scale (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--checkpoint-dir", help="checkpoint folder (HDFS/S3 on a cluster); cuts the lineage of long runs")
    return parser.parse_args()


def main():
    args = parse_args()
    spark = SparkSession.builder.appName("musicrec-train-als").getOrCreate()
    if args.checkpoint_dir:
        spark.sparkContext.setCheckpointDir(args.checkpoint_dir)

    interactions = spark.read.parquet(os.path.join(args.export_dir, "interactions"))
    als = ALS(
        userCol="user_id",
        itemCol="item_id",
        ratingCol="plays",
        implicitPrefs=True,
        rank=args.rank,
        maxIter=args.max_iter,
        regParam=args.reg_param,
        alpha=args.alpha,
        seed=args.seed,
        checkpointInterval=5,
        coldStartStrategy="drop",
    )
    model = als.fit(interactions)
    model.write().overwrite().save(args.model_dir)
    print(
        f"saved ALSModel (rank {model.rank}) to {args.model_dir}\n"
        f"import it with: musicrec import-model spark {args.model_dir} --items {args.export_dir} "
        f"--regularization {args.reg_param} --alpha {args.alpha}"
    )
    spark.stop()


if __name__ == "__main__":
    main()
