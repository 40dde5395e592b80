// Setup file of the jest project that runs against versitygw: the harness
// reads EOS_TEST_S3, which moto's global setup sets for the other projects.
process.env.EOS_TEST_S3 = process.env.EOS_TEST_S3_VERSITYGW;
