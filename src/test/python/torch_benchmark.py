"""PyTorch's speed on the networks TrainingBenchmark measures, for the README's comparison.

Same work as `./mvnw -B -ntp -Pbench test-compile exec:exec`: 60,000 generated rows of 784 uniform
features and 10 classes, ReLU hidden layers, softmax cross-entropy, SGD momentum 0.9, lr 0.01, shuffled
batches; prints the median samples/s of the measured epochs after one warm-up epoch.

    OPENBLAS_NUM_THREADS=2 python3 src/test/python/torch_benchmark.py --threads 2

Debian's python3-torch calls the system BLAS: install libopenblas0-pthread, or it runs on the
reference BLAS.
"""
import argparse
import statistics
import time

import torch


def network(widths):
    layers = []
    for i in range(1, len(widths)):
        layers.append(torch.nn.Linear(widths[i - 1], widths[i]))
        if i < len(widths) - 1:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def measure(widths, batch, epochs, rows):
    g = torch.Generator().manual_seed(1)
    x = torch.rand(rows, widths[0], generator=g)
    y = torch.randint(0, widths[-1], (rows,), generator=g)
    model = network(widths)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    rates = []
    for epoch in range(epochs + 1):
        order = torch.randperm(rows, generator=g)
        start = time.perf_counter()
        for s in range(0, rows, batch):
            idx = order[s:s + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
        if epoch > 0:
            rates.append(rows / (time.perf_counter() - start))
    return statistics.median(rates), min(rates), max(rates)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--networks", default="all", choices=["all", "small", "large"])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    if args.networks != "large":
        median, low, high = measure([784, 128, 10], 64, args.epochs, args.rows)
        print(f"784-128-10 batch 64: {median:,.0f} samples/s (range {low:,.0f}-{high:,.0f})")
    if args.networks != "small":
        median, low, high = measure([784, 512, 512, 10], 256, args.epochs, args.rows)
        print(f"784-512-512-10 batch 256: {median:,.0f} samples/s (range {low:,.0f}-{high:,.0f})")


if __name__ == "__main__":
    main()
