/** Adam (Kingma & Ba, 2015) over one flat parameter vector. */
export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    size: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** One update of `params` from the gradient `grad` (already averaged over the batch). */
  step(params: Float32Array, grad: Float32Array, learningRate: number): void {
    this.t++;
    const c1 = 1 - this.beta1 ** this.t,
      c2 = 1 - this.beta2 ** this.t;
    for (let j = 0; j < params.length; j++) {
      const gj = grad[j];
      this.m[j] = this.beta1 * this.m[j] + (1 - this.beta1) * gj;
      this.v[j] = this.beta2 * this.v[j] + (1 - this.beta2) * gj * gj;
      params[j] -= (learningRate * (this.m[j] / c1)) / (Math.sqrt(this.v[j] / c2) + this.epsilon);
    }
  }
}
